// Reads ONNX protobuf with Google.Protobuf's CodedInputStream: the registry has no ONNX package with generated classes.
using Google.Protobuf;
using SdApi.Engine.Ort;

namespace SdApi.Engine.Onnx;

/// <summary>An initializer found in a model: name, type, dims, how nodes use it, and its data if it was asked for.</summary>
public sealed record OnnxInitializerInfo(string Name, OrtElementType ElementType, IReadOnlyList<long> Dims, OnnxWeightUse Use, float[]? Data);

/// <summary>How a weight is consumed: as MatMul's second input ([in, out]), as Gemm's B (transB decides), as a Conv kernel ([out, in, kh, kw]), or otherwise.</summary>
public enum OnnxWeightUse { Other, MatMulRight, GemmTransposed, GemmPlain, ConvKernel }

/// <summary>
/// Reads the initializers (and which node consumes each) from an ONNX model file with Google.Protobuf's
/// CodedInputStream, keeping float data only for the names a caller wants (the LoRA merge reads the weights it
/// changes; the rest of a large UNet is skipped). Initializers stored as external data are listed without data.
/// </summary>
public static class OnnxModelReader
{
    public static IReadOnlyDictionary<string, OnnxInitializerInfo> ReadInitializers(string modelPath, Func<string, bool> wantData)
    {
        ArgumentNullException.ThrowIfNull(wantData);
        using var file = File.OpenRead(modelPath);
        var model = new CodedInputStream(file);
        var tensors = new List<(string Name, OrtElementType Type, long[] Dims, float[]? Data)>();
        var uses = new Dictionary<string, OnnxWeightUse>(StringComparer.Ordinal);
        uint tag;
        while ((tag = model.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) != 7) { model.SkipLastField(); continue; }
            var graph = new CodedInputStream(model.ReadBytes().ToByteArray());
            while ((tag = graph.ReadTag()) != 0)
            {
                switch (WireFormat.GetTagFieldNumber(tag))
                {
                    case 1: ReadNode(graph.ReadBytes(), uses); break;
                    case 5: tensors.Add(ReadTensor(graph.ReadBytes(), wantData)); break;
                    default: graph.SkipLastField(); break;
                }
            }
        }
        return tensors.ToDictionary(t => t.Name,
            t => new OnnxInitializerInfo(t.Name, t.Type, t.Dims, uses.GetValueOrDefault(t.Name), t.Data), StringComparer.Ordinal);
    }

    private static (string, OrtElementType, long[], float[]?) ReadTensor(ByteString bytes, Func<string, bool> wantData)
    {
        var input = bytes.CreateCodedInput();
        var dims = new List<long>();
        var name = "";
        var type = OrtElementType.Undefined;
        ByteString? raw = null;
        var floats = new List<float>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    if (WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
                    {
                        var packed = input.ReadBytes().CreateCodedInput();
                        while (!packed.IsAtEnd) dims.Add(packed.ReadInt64());
                    }
                    else dims.Add(input.ReadInt64());
                    break;
                case 2: type = (OrtElementType)input.ReadInt32(); break;
                case 4:
                    if (WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
                    {
                        var packed = input.ReadBytes().CreateCodedInput();
                        while (!packed.IsAtEnd) floats.Add(packed.ReadFloat());
                    }
                    else floats.Add(input.ReadFloat());
                    break;
                case 8: name = input.ReadString(); break;
                case 9: raw = input.ReadBytes(); break;
                default: input.SkipLastField(); break;
            }
        }
        float[]? data = null;
        if (type == OrtElementType.Float && wantData(name))
            data = raw is not null ? System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(raw.Span).ToArray() : floats.Count > 0 ? [.. floats] : null;
        return (name, type, [.. dims], data);
    }

    private static void ReadNode(ByteString bytes, Dictionary<string, OnnxWeightUse> uses)
    {
        var input = bytes.CreateCodedInput();
        var inputs = new List<string>();
        var opType = "";
        long transB = 0;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: inputs.Add(input.ReadString()); break;
                case 4: opType = input.ReadString(); break;
                case 5:
                    var (attrName, value) = ReadIntAttribute(input.ReadBytes());
                    if (attrName == "transB") transB = value;
                    break;
                default: input.SkipLastField(); break;
            }
        }
        if (opType == "MatMul" && inputs.Count > 1) uses.TryAdd(inputs[1], OnnxWeightUse.MatMulRight);
        else if (opType == "Gemm" && inputs.Count > 1) uses.TryAdd(inputs[1], transB != 0 ? OnnxWeightUse.GemmTransposed : OnnxWeightUse.GemmPlain);
        else if (opType == "Conv" && inputs.Count > 1) uses.TryAdd(inputs[1], OnnxWeightUse.ConvKernel);
    }

    private static (string Name, long Value) ReadIntAttribute(ByteString bytes)
    {
        var input = bytes.CreateCodedInput();
        var name = "";
        long value = 0;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: name = input.ReadString(); break;
                case 3: value = input.ReadInt64(); break;
                default: input.SkipLastField(); break;
            }
        }
        return (name, value);
    }
}
