using System.Buffers.Binary;

namespace SdApi.Engine.Lora;

/// <summary>One tensor of a safetensors file: name, dtype string as written in the header ("F32", "F16", "BF16", ...),
/// shape, and its raw little-endian bytes.</summary>
public sealed class SafeTensor(string name, string dtype, IReadOnlyList<long> shape, ReadOnlyMemory<byte> data)
{
    public string Name { get; } = name;
    public string DType { get; } = dtype;
    public IReadOnlyList<long> Shape { get; } = shape;
    public ReadOnlyMemory<byte> Data { get; } = data;

    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>Bytes per element of a dtype, or 0 when the dtype is unknown.</summary>
    public static int ElementSize(string dtype) => dtype switch
    {
        "F64" or "I64" or "U64" => 8,
        "F32" or "I32" or "U32" => 4,
        "F16" or "BF16" or "I16" or "U16" => 2,
        "I8" or "U8" or "BOOL" or "F8_E4M3" or "F8_E5M2" => 1,
        _ => 0,
    };

    /// <summary>The values as float32. F32, F16, BF16 and F64 are supported; other dtypes throw.</summary>
    public float[] ToFloat32()
    {
        var span = Data.Span;
        var result = new float[ElementCount];
        switch (DType)
        {
            case "F32":
                for (var i = 0; i < result.Length; i++)
                    result[i] = BinaryPrimitives.ReadSingleLittleEndian(span[(i * 4)..]);
                break;
            case "F16":
                for (var i = 0; i < result.Length; i++)
                    result[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(span[(i * 2)..]);
                break;
            case "BF16":
                // bfloat16 is the upper half of a float32.
                for (var i = 0; i < result.Length; i++)
                    result[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(span[(i * 2)..]) << 16);
                break;
            case "F64":
                for (var i = 0; i < result.Length; i++)
                    result[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(span[(i * 8)..]);
                break;
            default:
                throw new SafeTensorsException($"Tensor '{Name}' has dtype {DType}; only F32, F16, BF16 and F64 convert to float.");
        }
        return result;
    }
}

/// <summary>A safetensors file that cannot be read; the message names the problem.</summary>
public sealed class SafeTensorsException : Exception
{
    public SafeTensorsException() { }

    public SafeTensorsException(string message) : base(message) { }

    public SafeTensorsException(string message, Exception inner) : base(message, inner) { }
}
