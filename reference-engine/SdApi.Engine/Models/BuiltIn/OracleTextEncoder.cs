using SdApi.Engine.Onnx;
using SdApi.Engine.Ort;

namespace SdApi.Engine.Models.BuiltIn;

/// <summary>
/// The oracle text encoder: a token-embedding lookup followed by <see cref="Layers"/> linear layers (each a MatMul by
/// 1.15·I, named like CLIP's <c>mlp.fc2</c> so LoRA text-encoder keys can target them). Outputs
/// <c>last_hidden_state</c>, <c>pooler_output</c> (sum over tokens) and <c>hidden_states.0..N</c>; the last layer
/// carries exactly <see cref="OracleFeatures"/>, earlier layers the same features scaled by 1/1.15 per layer, so
/// clip_skip visibly fades the prompt. Before the layers, a composition step (bidirectional, like attention over
/// the sequence) moves each colour word's colour to the ground dimensions when the next noun after it names the
/// ground ("a red circle on a blue background") or when it follows a preposition with no noun after it ("on blue");
/// <see cref="OracleFeatures.RouteColours"/> is the same rule in C#.
/// </summary>
public static class OracleTextEncoder
{
    public const int Layers = 8;
    public const float LayerGain = 1.15f;
    public const string TokenEmbeddingName = "text_model.embeddings.token_embedding.weight";

    public static string LayerWeightName(int layer) => $"text_model.encoder.layers.{layer}.mlp.fc2.weight";

    public static byte[] Build(IReadOnlyList<string> vocabularyByIdOrder)
    {
        ArgumentNullException.ThrowIfNull(vocabularyByIdOrder);
        const int d = OracleFeatures.HiddenSize;
        var g = new OnnxGraphBuilder("oracle_text_encoder");
        var ids = g.Input("input_ids", OrtElementType.Int64, "batch", "sequence");

        var table = new float[vocabularyByIdOrder.Count * d];
        var inputScale = (float)Math.Pow(LayerGain, -Layers);
        for (var id = 0; id < vocabularyByIdOrder.Count; id++)
        {
            var features = OracleFeatures.TokenFeatures(vocabularyByIdOrder[id]);
            for (var k = 0; k < d; k++) table[id * d + k] = features[k] * inputScale;
        }
        var embedding = g.Initializer(TokenEmbeddingName, table, vocabularyByIdOrder.Count, d);
        var hidden = Compose(g, g.Op("Gather", [embedding, ids], OnnxAttribute.Int("axis", 0)), ids);
        var states = new List<string> { hidden };
        var gain = new float[d * d];
        for (var k = 0; k < d; k++) gain[k * d + k] = LayerGain;
        for (var layer = 0; layer < Layers; layer++)
        {
            hidden = g.MatMul(hidden, g.Initializer(LayerWeightName(layer), (float[])gain.Clone(), d, d));
            states.Add(hidden);
        }
        g.Output("last_hidden_state", hidden, OrtElementType.Float, "batch", "sequence", (long)d);
        var pooled = g.Op("ReduceSum", [hidden, g.Int64s(1)], OnnxAttribute.Int("keepdims", 0));
        g.Output("pooler_output", pooled, OrtElementType.Float, "batch", (long)d);
        for (var i = 0; i < states.Count; i++)
            g.Output($"hidden_states.{i}", states[i], OrtElementType.Float, "batch", "sequence", (long)d);
        return g.ToModelBytes();
    }

    /// <summary>The composition step on token features [B, L, d]: colour words routed to the ground dimensions.</summary>
    private static string Compose(OnnxGraphBuilder g, string tokens, string ids)
    {
        const int d = OracleFeatures.HiddenSize;
        const float none = 1e4f; // "no such word after this one"
        var zero = g.Scalar(0f);
        string Marker(int dimension) =>  // [B, 1, L]: 1 where the token carries the marker
            g.Op("Transpose", [g.Cast(g.Op("Greater", [g.Slice(tokens, dimension, dimension + 1, 2), zero]), OrtElementType.Float)], OnnxAttribute.IntList("perm", 0, 2, 1));
        var length = g.Cast(g.Slice(g.Op("Shape", [ids]), 1, 2, 0), OrtElementType.Float);
        var position = g.Op("Range", [zero, g.Op("Squeeze", [length]), g.Scalar(1f)]);        // [L]
        var later = g.Cast(g.Op("Greater", [g.Unsqueeze(position, 0), g.Unsqueeze(position, 1)]), OrtElementType.Float); // [L, L]: j > i
        var earlier = g.Cast(g.Op("Less", [g.Unsqueeze(position, 0), g.Unsqueeze(position, 1)]), OrtElementType.Float);  // [L, L]: j < i
        string Next(string marker)   // [B, L]: position of the first marked token after i, or `none`
        {
            var hit = g.Mul(later, marker);
            var candidate = g.Add(g.Mul(hit, g.Unsqueeze(position, 0)), g.Mul(g.Sub(g.Scalar(1f), hit), g.Scalar(none)));
            return g.Op("ReduceMin", [candidate], OnnxAttribute.IntList("axes", 2), OnnxAttribute.Int("keepdims", 0));
        }
        var nextShape = Next(Marker(OracleFeatures.ShapeCount));
        var nextGround = Next(Marker(OracleFeatures.GroundNoun));
        var prepositionBefore = g.Op("ReduceMax", [g.Mul(earlier, Marker(OracleFeatures.Preposition))], OnnxAttribute.IntList("axes", 2), OnnxAttribute.Int("keepdims", 0));
        var groundFirst = g.Cast(g.Op("Less", [nextGround, nextShape]), OrtElementType.Float);
        var noNounAfter = g.Cast(g.Op("Greater", [g.Min(nextGround, nextShape), g.Scalar(none - 1)]), OrtElementType.Float);
        var route = g.Unsqueeze(g.Max(groundFirst, g.Mul(noNounAfter, prepositionBefore)), 2);   // [B, L, 1]
        var move = new float[d * d];   // colour RGB and count -> ground RGB and count
        for (var c = 0; c < 4; c++)
        {
            move[(OracleFeatures.Foreground + c) * d + OracleFeatures.Foreground + c] = -1;
            move[(OracleFeatures.Foreground + c) * d + OracleFeatures.GroundColour + c] = 1;
        }
        return g.Add(tokens, g.Mul(route, g.MatMul(tokens, g.Constant(move, d, d))));
    }
}
