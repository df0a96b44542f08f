// Before: the hand-written ORT C-API binding the engine used until Microsoft.ML.OnnxRuntime (commit c168fe7), kept only
// so EngineBench measures it against the managed API in the same run, over the same native library. Not used elsewhere.
namespace EngineBench.Legacy;

/// <summary>
/// A dense tensor owned by ORT (an <c>OrtValue</c> created with the default allocator, so ORT owns its buffer and
/// nothing has to stay pinned). Data is copied in on creation and read through <see cref="AsSpan{T}"/>.
/// </summary>
internal sealed unsafe class OrtTensor : IDisposable
{
    private readonly OrtValueHandle _value;
    private void* _ownedBuffer;

    internal OrtTensor(OrtValueHandle value, void* ownedBuffer = null)
    {
        _value = value;
        _ownedBuffer = ownedBuffer;
        nint info;
        OrtApi.Check(OrtApi.GetTensorTypeAndShape(value.Pointer, &info));
        using var infoHandle = new OrtTensorInfoHandle(info);
        (ElementType, Shape) = ReadTypeAndShape(info);
    }

    public OrtElementType ElementType { get; }
    public IReadOnlyList<long> Shape { get; }
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);

    internal nint Pointer => _value.Pointer;
    internal OrtValueHandle Handle => _value;

    public static OrtTensor FromFloats(ReadOnlySpan<float> data, params long[] shape) => Create(OrtElementType.Float, data, shape);
    public static OrtTensor FromInt64s(ReadOnlySpan<long> data, params long[] shape) => Create(OrtElementType.Int64, data, shape);
    public static OrtTensor FromInt32s(ReadOnlySpan<int> data, params long[] shape) => Create(OrtElementType.Int32, data, shape);

    private static OrtTensor Create<T>(OrtElementType type, ReadOnlySpan<T> data, long[] shape) where T : unmanaged
    {
        var count = shape.Aggregate(1L, (a, b) => a * b);
        if (count != data.Length)
            throw new ArgumentException($"Tensor data has {data.Length} elements but shape [{string.Join(",", shape)}] needs {count}.", nameof(data));
        nint value;
        fixed (long* dims = shape)
            OrtApi.Check(OrtApi.CreateTensorAsOrtValue(OrtApi.DefaultAllocator, dims, (nuint)shape.Length, (int)type, &value));
        var tensor = new OrtTensor(new OrtValueHandle(value));
        data.CopyTo(tensor.AsSpan<T>());
        return tensor;
    }

    /// <summary>The tensor's buffer (valid until this tensor is disposed).</summary>
    public Span<T> AsSpan<T>() where T : unmanaged
    {
        ObjectDisposedException.ThrowIf(_value.IsClosed, this);
        void* data;
        OrtApi.Check(OrtApi.GetTensorMutableData(_value.Pointer, &data));
        var bytes = ElementCount * ElementSize(ElementType);
        return new Span<T>(data, checked((int)(bytes / sizeof(T))));
    }

    /// <summary>
    /// A float tensor over a native buffer this tensor owns (freed after the value), the form
    /// <c>AddInitializer</c> requires ("buffer must be owned by the user").
    /// </summary>
    public static OrtTensor FromFloatsUserOwned(ReadOnlySpan<float> data, params long[] shape)
    {
        var count = shape.Aggregate(1L, (a, b) => a * b);
        if (count != data.Length)
            throw new ArgumentException($"Tensor data has {data.Length} elements but shape [{string.Join(",", shape)}] needs {count}.", nameof(data));
        var bytes = (nuint)(data.Length * sizeof(float));
        var buffer = System.Runtime.InteropServices.NativeMemory.Alloc(Math.Max(bytes, 1));
        data.CopyTo(new Span<float>(buffer, data.Length));
        nint value;
        try
        {
            fixed (long* dims = shape)
                OrtApi.Check(OrtApi.CreateTensorWithDataAsOrtValue(OrtApi.CpuMemoryInfo, buffer, bytes, dims, (nuint)shape.Length, (int)OrtElementType.Float, &value));
        }
        catch
        {
            System.Runtime.InteropServices.NativeMemory.Free(buffer);
            throw;
        }
        return new OrtTensor(new OrtValueHandle(value), buffer);
    }

    public float[] ToFloats() => AsSpan<float>().ToArray();

    internal static (OrtElementType Type, long[] Shape) ReadTypeAndShape(nint tensorInfo)
    {
        int type;
        nuint rank;
        OrtApi.Check(OrtApi.GetTensorElementType(tensorInfo, &type));
        OrtApi.Check(OrtApi.GetDimensionsCount(tensorInfo, &rank));
        var dims = new long[(int)rank];
        fixed (long* d = dims)
            OrtApi.Check(OrtApi.GetDimensions(tensorInfo, d, rank));
        return ((OrtElementType)type, dims);
    }

    private static long ElementSize(OrtElementType type) => type switch
    {
        OrtElementType.Float or OrtElementType.Int32 => 4,
        OrtElementType.Int64 or OrtElementType.Double => 8,
        OrtElementType.UInt8 => 1,
        OrtElementType.Float16 => 2,
        _ => throw new NotSupportedException($"Element type {type} is not supported."),
    };

    public void Dispose()
    {
        _value.Dispose();
        if (_ownedBuffer != null)
        {
            System.Runtime.InteropServices.NativeMemory.Free(_ownedBuffer);
            _ownedBuffer = null;
        }
    }
}
