using SdApi.Engine.Ort;

namespace SdApi.Engine.Onnx;

/// <summary>
/// Builds an <see cref="OnnxGraph"/> op by op: each call adds a node and returns its (generated) output name, so
/// graph code reads like the formula it computes.
/// </summary>
public sealed class OnnxGraphBuilder(string graphName)
{
    private int _counter;

    public OnnxGraph Graph { get; } = new(graphName);

    public string Input(string name, OrtElementType type, params object[] dims)
    {
        Graph.Inputs.Add(new OnnxValueInfo(name, type, dims));
        return name;
    }

    /// <summary>Declares <paramref name="value"/> a graph output named <paramref name="name"/> (through an Identity).</summary>
    public void Output(string name, string value, OrtElementType type, params object[] dims)
    {
        Graph.Nodes.Add(new OnnxNode("Identity", [value], [name], $"out_{name}", []));
        Graph.Outputs.Add(new OnnxValueInfo(name, type, dims));
    }

    public string Initializer(string name, float[] data, params long[] dims)
    {
        Graph.Initializers.Add(OnnxTensor.Floats(name, data, dims));
        return name;
    }

    public string Constant(float[] data, params long[] dims) => Initializer(Fresh("const"), data, dims);
    public string Scalar(float value) => Constant([value]);
    public string Int64s(params long[] values)
    {
        var name = Fresh("ints");
        Graph.Initializers.Add(OnnxTensor.Int64s(name, values, values.Length));
        return name;
    }

    /// <summary>Adds a node with one output and returns that output's name.</summary>
    public string Op(string opType, string[] inputs, params OnnxAttribute[] attributes)
    {
        var output = Fresh(opType.ToLowerInvariant());
        Graph.Nodes.Add(new OnnxNode(opType, inputs, [output], output + "_node", attributes));
        return output;
    }

    public string Add(string a, string b) => Op("Add", [a, b]);
    public string Sub(string a, string b) => Op("Sub", [a, b]);
    public string Mul(string a, string b) => Op("Mul", [a, b]);
    public string Div(string a, string b) => Op("Div", [a, b]);
    public string Max(string a, string b) => Op("Max", [a, b]);
    public string Min(string a, string b) => Op("Min", [a, b]);
    public string MatMul(string a, string b) => Op("MatMul", [a, b]);
    public string Abs(string a) => Op("Abs", [a]);
    public string Sqrt(string a) => Op("Sqrt", [a]);
    public string Relu(string a) => Op("Relu", [a]);
    /// <summary>Clip to [0, 1].</summary>
    public string Saturate(string a) => Op("Clip", [a, Scalar(0f), Scalar(1f)]);
    public string Reshape(string a, string shape) => Op("Reshape", [a, shape]);
    public string Unsqueeze(string a, params long[] axes) => Op("Unsqueeze", [a, Int64s(axes)]);
    public string Slice(string a, long start, long end, long axis) => Op("Slice", [a, Int64s(start), Int64s(end), Int64s(axis)]);
    public string Concat(long axis, params string[] inputs) => Op("Concat", inputs, OnnxAttribute.Int("axis", axis));
    public string Cast(string a, OrtElementType to) => Op("Cast", [a], OnnxAttribute.Int("to", (long)to));

    public string Fresh(string stem) => $"{stem}_{_counter++}";

    public byte[] ToModelBytes(int opset = 17) => OnnxProtoWriter.WriteModel(Graph, opset);
}
