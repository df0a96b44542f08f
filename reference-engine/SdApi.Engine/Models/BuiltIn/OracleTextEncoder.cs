using SdApi.Engine.Onnx;
using SdApi.Engine.Ort;

namespace SdApi.Engine.Models.BuiltIn;

/// <summary>
/// The oracle text encoder: a token-embedding lookup followed by <see cref="Layers"/> linear layers (each a MatMul by
/// 1.15·I, named like CLIP's <c>mlp.fc2</c> so LoRA text-encoder keys can target them). Outputs
/// <c>last_hidden_state</c>, <c>pooler_output</c> (sum over tokens) and <c>hidden_states.0..N</c>; the last layer
/// carries exactly <see cref="OracleFeatures"/>, earlier layers the same features scaled by 1/1.15 per layer, so
/// clip_skip visibly fades the prompt.
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
        var hidden = g.Op("Gather", [embedding, ids], OnnxAttribute.Int("axis", 0));
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
}
