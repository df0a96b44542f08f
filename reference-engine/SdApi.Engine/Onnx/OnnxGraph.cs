using System.Runtime.InteropServices;
using SdApi.Engine.Ort;

namespace SdApi.Engine.Onnx;

/// <summary>An ONNX graph held as plain data, ready for <see cref="OnnxProtoWriter"/>.</summary>
public sealed class OnnxGraph(string name)
{
    public string Name { get; } = name;
    public List<OnnxNode> Nodes { get; } = [];
    public List<OnnxTensor> Initializers { get; } = [];
    public List<OnnxValueInfo> Inputs { get; } = [];
    public List<OnnxValueInfo> Outputs { get; } = [];
}

public sealed record OnnxNode(string OpType, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, string Name, IReadOnlyList<OnnxAttribute> Attributes);

/// <summary>A graph input or output; each dim is a <see cref="long"/> (fixed) or a <see cref="string"/> (symbolic).</summary>
public sealed record OnnxValueInfo(string Name, OrtElementType ElementType, IReadOnlyList<object> Dims);

/// <summary>An initializer or constant, stored as little-endian raw data.</summary>
public sealed record OnnxTensor(string Name, OrtElementType ElementType, IReadOnlyList<long> Dims, byte[] RawData)
{
    public static OnnxTensor Floats(string name, float[] data, params long[] dims) =>
        new(name, OrtElementType.Float, dims, MemoryMarshal.AsBytes(data.AsSpan()).ToArray());

    public static OnnxTensor Int64s(string name, long[] data, params long[] dims) =>
        new(name, OrtElementType.Int64, dims, MemoryMarshal.AsBytes(data.AsSpan()).ToArray());
}

public enum OnnxAttributeKind { Float = 1, Int = 2, String = 3, Tensor = 4, Floats = 6, Ints = 7 }

public sealed record OnnxAttribute(string Name, OnnxAttributeKind Kind, float[]? Floats = null, long[]? Ints = null, string? Text = null, OnnxTensor? Tensor = null)
{
    public static OnnxAttribute Int(string name, long value) => new(name, OnnxAttributeKind.Int, Ints: [value]);
    public static OnnxAttribute Float(string name, float value) => new(name, OnnxAttributeKind.Float, Floats: [value]);
    public static OnnxAttribute IntList(string name, params long[] values) => new(name, OnnxAttributeKind.Ints, Ints: values);
    public static OnnxAttribute FloatList(string name, params float[] values) => new(name, OnnxAttributeKind.Floats, Floats: values);
    public static OnnxAttribute Str(string name, string value) => new(name, OnnxAttributeKind.String, Text: value);
    public static OnnxAttribute TensorValue(string name, OnnxTensor value) => new(name, OnnxAttributeKind.Tensor, Tensor: value);
}
