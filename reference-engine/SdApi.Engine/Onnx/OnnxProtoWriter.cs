// Writes ONNX's protobuf messages (onnx.proto field numbers) with Google.Protobuf's CodedOutputStream: the registry has
// no ONNX package with generated classes, and the engine only ever writes the handful of messages below.
using Google.Protobuf;
using SdApi.Engine.Ort;

namespace SdApi.Engine.Onnx;

/// <summary>Serialises an <see cref="OnnxGraph"/> as an ONNX <c>ModelProto</c>.</summary>
public static class OnnxProtoWriter
{
    /// <summary>IR version 8 pairs with opsets up to 17/18 (onnx/docs/Versioning.md).</summary>
    public const long IrVersion = 8;

    public static byte[] WriteModel(OnnxGraph graph, int opset = 17)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return Message(o =>
        {
            o.WriteTag(1, WireFormat.WireType.Varint); o.WriteInt64(IrVersion);
            WriteString(o, 2, "sdapi-engine");
            WriteString(o, 3, "1");
            WriteMessage(o, 7, Graph(graph));
            WriteMessage(o, 8, Message(s =>
            {
                WriteString(s, 1, "");
                s.WriteTag(2, WireFormat.WireType.Varint); s.WriteInt64(opset);
            }));
        });
    }

    private static byte[] Graph(OnnxGraph g) => Message(o =>
    {
        foreach (var node in g.Nodes) WriteMessage(o, 1, Node(node));
        WriteString(o, 2, g.Name);
        foreach (var init in g.Initializers) WriteMessage(o, 5, Tensor(init));
        foreach (var input in g.Inputs) WriteMessage(o, 11, ValueInfo(input));
        foreach (var output in g.Outputs) WriteMessage(o, 12, ValueInfo(output));
    });

    private static byte[] Node(OnnxNode n) => Message(o =>
    {
        foreach (var input in n.Inputs) WriteString(o, 1, input);
        foreach (var output in n.Outputs) WriteString(o, 2, output);
        WriteString(o, 3, n.Name);
        WriteString(o, 4, n.OpType);
        foreach (var attribute in n.Attributes) WriteMessage(o, 5, Attribute(attribute));
    });

    private static byte[] Attribute(OnnxAttribute a) => Message(o =>
    {
        WriteString(o, 1, a.Name);
        switch (a.Kind)
        {
            case OnnxAttributeKind.Float:
                o.WriteTag(2, WireFormat.WireType.Fixed32); o.WriteFloat(a.Floats![0]); break;
            case OnnxAttributeKind.Int:
                o.WriteTag(3, WireFormat.WireType.Varint); o.WriteInt64(a.Ints![0]); break;
            case OnnxAttributeKind.String:
                o.WriteTag(4, WireFormat.WireType.LengthDelimited); o.WriteBytes(ByteString.CopyFromUtf8(a.Text!)); break;
            case OnnxAttributeKind.Tensor:
                WriteMessage(o, 5, Tensor(a.Tensor!)); break;
            case OnnxAttributeKind.Floats:
                foreach (var f in a.Floats!) { o.WriteTag(7, WireFormat.WireType.Fixed32); o.WriteFloat(f); }
                break;
            case OnnxAttributeKind.Ints:
                foreach (var i in a.Ints!) { o.WriteTag(8, WireFormat.WireType.Varint); o.WriteInt64(i); }
                break;
        }
        o.WriteTag(20, WireFormat.WireType.Varint); o.WriteInt32((int)a.Kind);
    });

    private static byte[] Tensor(OnnxTensor t) => Message(o =>
    {
        foreach (var d in t.Dims) { o.WriteTag(1, WireFormat.WireType.Varint); o.WriteInt64(d); }
        o.WriteTag(2, WireFormat.WireType.Varint); o.WriteInt32((int)t.ElementType);
        WriteString(o, 8, t.Name);
        o.WriteTag(9, WireFormat.WireType.LengthDelimited); o.WriteBytes(ByteString.CopyFrom(t.RawData));
    });

    private static byte[] ValueInfo(OnnxValueInfo v) => Message(o =>
    {
        WriteString(o, 1, v.Name);
        WriteMessage(o, 2, Message(type => WriteMessage(type, 1, Message(tensor =>
        {
            tensor.WriteTag(1, WireFormat.WireType.Varint); tensor.WriteInt32((int)v.ElementType);
            WriteMessage(tensor, 2, Message(shape =>
            {
                foreach (var dim in v.Dims)
                    WriteMessage(shape, 1, Message(d =>
                    {
                        if (dim is long value) { d.WriteTag(1, WireFormat.WireType.Varint); d.WriteInt64(value); }
                        else WriteString(d, 2, (string)dim);
                    }));
            }));
        }))));
    });

    private static byte[] Message(Action<CodedOutputStream> write)
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        write(output);
        output.Flush();
        return stream.ToArray();
    }

    private static void WriteMessage(CodedOutputStream o, int field, byte[] message)
    {
        o.WriteTag(field, WireFormat.WireType.LengthDelimited);
        o.WriteBytes(ByteString.CopyFrom(message));
    }

    private static void WriteString(CodedOutputStream o, int field, string value)
    {
        o.WriteTag(field, WireFormat.WireType.LengthDelimited);
        o.WriteString(value);
    }
}
