// Before: the hand-written ORT C-API binding the engine used until Microsoft.ML.OnnxRuntime (commit c168fe7), kept only
// so EngineBench measures it against the managed API in the same run, over the same native library. Not used elsewhere.
using System.Runtime.InteropServices;
using System.Text;

namespace EngineBench.Legacy;

/// <summary>The declared name, element type and shape (-1 = dynamic) of a session input or output.</summary>
internal sealed record OrtNodeInfo(string Name, OrtElementType ElementType, IReadOnlyList<long> Shape);

/// <summary>An <c>OrtSession</c>: created from a model file or bytes, run with named tensors.</summary>
internal sealed unsafe class OrtInferenceSession : IDisposable
{
    private readonly OrtSessionHandle _session;
    private readonly OrtSessionOptions? _ownedOptions;
    private readonly Dictionary<string, nint> _utf8Names = new(StringComparer.Ordinal);

    private OrtInferenceSession(OrtSessionHandle session, OrtSessionOptions? ownedOptions)
    {
        _session = session;
        _ownedOptions = ownedOptions;
        Inputs = ReadNodes(isInput: true);
        Outputs = ReadNodes(isInput: false);
    }

    public IReadOnlyList<OrtNodeInfo> Inputs { get; }
    public IReadOnlyList<OrtNodeInfo> Outputs { get; }

    /// <summary>Opens <paramref name="modelPath"/>; the session takes ownership of <paramref name="options"/>.</summary>
    public static OrtInferenceSession FromFile(string modelPath, OrtSessionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var path = Encoding.UTF8.GetBytes(Path.GetFullPath(modelPath) + "\0");
        nint session;
        fixed (byte* p = path)
            OrtApi.Check(OrtApi.CreateSession(OrtEnvironment.Handle.Pointer, p, options.Pointer, &session));
        return new OrtInferenceSession(new OrtSessionHandle(session), options);
    }

    /// <summary>Creates a session from model bytes; the session takes ownership of <paramref name="options"/>.</summary>
    public static OrtInferenceSession FromBytes(ReadOnlySpan<byte> model, OrtSessionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        nint session;
        fixed (byte* m = model)
            OrtApi.Check(OrtApi.CreateSessionFromArray(OrtEnvironment.Handle.Pointer, m, (nuint)model.Length, options.Pointer, &session));
        return new OrtInferenceSession(new OrtSessionHandle(session), options);
    }

    public bool HasInput(string name) => Inputs.Any(i => i.Name == name);
    public bool HasOutput(string name) => Outputs.Any(o => o.Name == name);

    /// <summary>Runs the model; the caller disposes the returned tensors.</summary>
    public OrtTensor[] Run(IReadOnlyList<KeyValuePair<string, OrtTensor>> inputs, IReadOnlyList<string> outputNames)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputNames);
        ObjectDisposedException.ThrowIf(_session.IsClosed, this);
        var inNames = stackalloc nint[inputs.Count];
        var inValues = stackalloc nint[inputs.Count];
        var outNames = stackalloc nint[outputNames.Count];
        var outValues = stackalloc nint[outputNames.Count];
        lock (_utf8Names)
        {
            for (var i = 0; i < inputs.Count; i++)
            {
                inNames[i] = Utf8(inputs[i].Key);
                inValues[i] = inputs[i].Value.Pointer;
            }
            for (var i = 0; i < outputNames.Count; i++)
            {
                outNames[i] = Utf8(outputNames[i]);
                outValues[i] = 0;
            }
        }
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var cpuStarted = SdApi.Engine.Ort.OrtRunClock.ThreadCpuNanoseconds();
        var status = OrtApi.Run(_session.Pointer, 0, inNames, inValues, (nuint)inputs.Count, outNames, (nuint)outputNames.Count, outValues);
        LegacyClock.Add(System.Diagnostics.Stopwatch.GetTimestamp() - started, SdApi.Engine.Ort.OrtRunClock.ThreadCpuNanoseconds() - cpuStarted);
        OrtApi.Check(status);
        GC.KeepAlive(inputs);
        var results = new OrtTensor[outputNames.Count];
        for (var i = 0; i < results.Length; i++)
            results[i] = new OrtTensor(new OrtValueHandle(outValues[i]));
        return results;
    }

    private nint Utf8(string name)
    {
        if (!_utf8Names.TryGetValue(name, out var p))
            _utf8Names[name] = p = Marshal.StringToCoTaskMemUTF8(name);
        return p;
    }

    private OrtNodeInfo[] ReadNodes(bool isInput)
    {
        nuint count;
        OrtApi.Check(isInput ? OrtApi.SessionGetInputCount(_session.Pointer, &count) : OrtApi.SessionGetOutputCount(_session.Pointer, &count));
        var allocator = OrtApi.DefaultAllocator;
        var nodes = new OrtNodeInfo[(int)count];
        for (nuint i = 0; i < count; i++)
        {
            byte* name;
            OrtApi.Check(isInput ? OrtApi.SessionGetInputName(_session.Pointer, i, allocator, &name) : OrtApi.SessionGetOutputName(_session.Pointer, i, allocator, &name));
            var text = Marshal.PtrToStringUTF8((nint)name) ?? "";
            OrtApi.Check(OrtApi.AllocatorFree(allocator, name));

            nint typeInfo;
            OrtApi.Check(isInput ? OrtApi.SessionGetInputTypeInfo(_session.Pointer, i, &typeInfo) : OrtApi.SessionGetOutputTypeInfo(_session.Pointer, i, &typeInfo));
            using var typeHandle = new OrtTypeInfoHandle(typeInfo);
            nint tensorInfo; // owned by typeInfo: not released separately
            OrtApi.Check(OrtApi.CastTypeInfoToTensorInfo(typeInfo, &tensorInfo));
            var (type, shape) = tensorInfo == 0 ? (OrtElementType.Undefined, Array.Empty<long>()) : OrtTensor.ReadTypeAndShape(tensorInfo);
            nodes[(int)i] = new OrtNodeInfo(text, type, shape);
        }
        return nodes;
    }

    public void Dispose()
    {
        _session.Dispose();
        _ownedOptions?.Dispose();
        lock (_utf8Names)
        {
            foreach (var p in _utf8Names.Values) Marshal.FreeCoTaskMem(p);
            _utf8Names.Clear();
        }
    }
}

/// <summary>The binding's own run clock (the engine's OrtRunClock counts the engine's sessions only).</summary>
internal static class LegacyClock
{
    private static long _ticks;
    private static long _cpu;
    public static void Add(long ticks, long cpu)
    {
        Interlocked.Add(ref _ticks, ticks);
        Interlocked.Add(ref _cpu, cpu);
    }
}
