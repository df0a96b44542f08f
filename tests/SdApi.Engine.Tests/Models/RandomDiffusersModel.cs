using System.Text;
using SdApi.Engine.Onnx;
using SdApi.Engine.Ort;
using SdApi.Engine.Text;

namespace SdApi.Engine.Tests.Models;

/// <summary>
/// A tiny Stable-Diffusion-shaped model with seeded random weights, written by test code in the diffusers ONNX
/// layout to exercise the real-model path: convolutions, GroupNorm written as InstanceNormalization between
/// reshapes, sinusoidal timestep embedding, self- and cross-attention, skip connections, a CLIP-like text encoder
/// (int32 input_ids, as diffusers exports it) and a VAE whose decoder upsamples 8x. Opset 17.
/// </summary>
public static class RandomDiffusersModel
{
    public const int Hidden = 32;       // text hidden size = cross-attention dim
    public const int Channels = 32;     // UNet base channels

    public static void WriteTo(string folder, int seed = 7)
    {
        var rng = new Random(seed);
        var tokenizer = Path.Combine(folder, "tokenizer");
        BuiltInClipVocabulary.WriteTo(tokenizer);
        var vocabSize = ClipTokenizer.FromFolder(tokenizer).VocabSize;
        Write(folder, "text_encoder", TextEncoder(rng, vocabSize));
        Write(folder, "unet", Unet(rng));
        Write(folder, "vae_decoder", VaeDecoder(rng));
        Write(folder, "vae_encoder", VaeEncoder(rng));
        Directory.CreateDirectory(Path.Combine(folder, "scheduler"));
        File.WriteAllText(Path.Combine(folder, "scheduler", "scheduler_config.json"),
            """{"_class_name": "PNDMScheduler", "beta_start": 0.00085, "beta_end": 0.012, "beta_schedule": "scaled_linear", "num_train_timesteps": 1000, "steps_offset": 1, "set_alpha_to_one": false, "skip_prk_steps": true}""",
            Encoding.UTF8);
    }

    public static byte[] Unet(Random rng)
    {
        var g = new OnnxGraphBuilder("random_unet");
        var w = new Weights(g, rng);
        var sample = g.Input("sample", OrtElementType.Float, "batch", 4L, "height", "width");
        var timestep = g.Input("timestep", OrtElementType.Float, "batch");
        var context = g.Input("encoder_hidden_states", OrtElementType.Float, "batch", "sequence", (long)Hidden);

        // sinusoidal timestep embedding -> MLP -> per-channel bias
        var freqs = Enumerable.Range(0, Channels / 2).Select(i => (float)Math.Exp(-Math.Log(10000) * i / (Channels / 2))).ToArray();
        var angles = g.Mul(g.Unsqueeze(timestep, 1), g.Constant(freqs, 1, Channels / 2));
        var temb = g.Concat(1, g.Op("Sin", [angles]), g.Op("Cos", [angles]));
        temb = Silu(g, g.Add(g.MatMul(temb, w.Matrix("time_embedding.linear_1.weight", Channels, Channels)), w.Vector("time_embedding.linear_1.bias", Channels)));

        var h0 = w.Conv(sample, "conv_in", 4, Channels, 3);
        var h1 = ResBlock(g, w, h0, temb, "down_blocks.0.resnets.0", Channels);
        h1 = CrossAttention(g, w, h1, context, "down_blocks.0.attentions.0", Channels);
        var h2 = w.Conv(h1, "down_blocks.0.downsamplers.0.conv", Channels, Channels * 2, 3, stride: 2);
        h2 = ResBlock(g, w, h2, g.MatMul(temb, w.Matrix("mid_block.time_proj.weight", Channels, Channels * 2)), "mid_block.resnets.0", Channels * 2);
        h2 = CrossAttention(g, w, h2, context, "mid_block.attentions.0", Channels * 2);
        var up = g.Op("Resize", [h2, "", g.Constant([1f, 1f, 2f, 2f], 4)], OnnxAttribute.Str("mode", "nearest"));
        up = w.Conv(up, "up_blocks.0.upsamplers.0.conv", Channels * 2, Channels, 3);
        var merged = g.Concat(1, up, h1);
        var h3 = w.Conv(merged, "up_blocks.0.resnets.0.conv_shortcut", Channels * 2, Channels, 1);
        h3 = ResBlock(g, w, h3, temb, "up_blocks.0.resnets.1", Channels);
        var output = w.Conv(Silu(g, GroupNorm(g, w, h3, "conv_norm_out", Channels)), "conv_out", Channels, 4, 3);
        g.Output("out_sample", output, OrtElementType.Float, "batch", 4L, "height", "width");
        return g.ToModelBytes();
    }

    public static byte[] TextEncoder(Random rng, int vocabSize)
    {
        var g = new OnnxGraphBuilder("random_text_encoder");
        var w = new Weights(g, rng);
        var ids = g.Input("input_ids", OrtElementType.Int32, "batch", "sequence");
        var tokens = g.Op("Gather", [w.Matrix("text_model.embeddings.token_embedding.weight", vocabSize, Hidden, 0.5f), ids], OnnxAttribute.Int("axis", 0));
        var x = g.Add(tokens, w.Matrix("text_model.embeddings.position_embedding.weight", 77, Hidden, 0.1f));
        var states = new List<string> { x };
        for (var layer = 0; layer < 2; layer++)
        {
            var prefix = $"text_model.encoder.layers.{layer}";
            var n = LayerNorm(g, w, x, $"{prefix}.layer_norm1");
            x = g.Add(x, Attention(g, w, n, n, $"{prefix}.self_attn", Hidden, Hidden, "q_proj", "k_proj", "v_proj", "out_proj"));
            n = LayerNorm(g, w, x, $"{prefix}.layer_norm2");
            var mlp = g.MatMul(Gelu(g, g.MatMul(n, w.Matrix($"{prefix}.mlp.fc1.weight", Hidden, Hidden * 2))), w.Matrix($"{prefix}.mlp.fc2.weight", Hidden * 2, Hidden));
            x = g.Add(x, mlp);
            states.Add(x);
        }
        var last = LayerNorm(g, w, x, "text_model.final_layer_norm");
        g.Output("last_hidden_state", last, OrtElementType.Float, "batch", "sequence", (long)Hidden);
        g.Output("pooler_output", g.Op("ReduceMean", [last], OnnxAttribute.IntList("axes", 1), OnnxAttribute.Int("keepdims", 0)), OrtElementType.Float, "batch", (long)Hidden);
        return g.ToModelBytes();
    }

    public static byte[] VaeDecoder(Random rng)
    {
        var g = new OnnxGraphBuilder("random_vae_decoder");
        var w = new Weights(g, rng);
        var z = g.Input("latent_sample", OrtElementType.Float, "batch", 4L, "height", "width");
        var h = w.Conv(z, "decoder.conv_in", 4, 16, 3);
        for (var i = 0; i < 3; i++)
        {
            h = g.Op("Resize", [h, "", g.Constant([1f, 1f, 2f, 2f], 4)], OnnxAttribute.Str("mode", "nearest"));
            h = w.Conv(Silu(g, GroupNorm(g, w, h, $"decoder.up_blocks.{i}.norm", 16)), $"decoder.up_blocks.{i}.conv", 16, 16, 3);
        }
        g.Output("sample", g.Op("Tanh", [w.Conv(h, "decoder.conv_out", 16, 3, 3)]), OrtElementType.Float, "batch", 3L, "image_height", "image_width");
        return g.ToModelBytes();
    }

    public static byte[] VaeEncoder(Random rng)
    {
        var g = new OnnxGraphBuilder("random_vae_encoder");
        var w = new Weights(g, rng);
        var x = g.Input("sample", OrtElementType.Float, "batch", 3L, "image_height", "image_width");
        var h = w.Conv(x, "encoder.conv_in", 3, 16, 3);
        for (var i = 0; i < 3; i++)
            h = w.Conv(Silu(g, GroupNorm(g, w, h, $"encoder.down_blocks.{i}.norm", 16)), $"encoder.down_blocks.{i}.conv", 16, 16, 3, stride: 2);
        g.Output("latent_sample", w.Conv(h, "encoder.conv_out", 16, 4, 3), OrtElementType.Float, "batch", 4L, "height", "width");
        return g.ToModelBytes();
    }

    // ---- building blocks ----

    private static string ResBlock(OnnxGraphBuilder g, Weights w, string x, string temb, string prefix, int channels)
    {
        var h = w.Conv(Silu(g, GroupNorm(g, w, x, $"{prefix}.norm1", channels)), $"{prefix}.conv1", channels, channels, 3);
        var bias = g.Unsqueeze(g.MatMul(Silu(g, temb), w.Matrix($"{prefix}.time_emb_proj.weight", channels, channels)), 2, 3);
        h = g.Add(h, bias);
        h = w.Conv(Silu(g, GroupNorm(g, w, h, $"{prefix}.norm2", channels)), $"{prefix}.conv2", channels, channels, 3);
        return g.Add(x, h);
    }

    /// <summary>Transformer block on the feature map: self-attention then cross-attention to the prompt, as in SD's attn1/attn2.</summary>
    private static string CrossAttention(OnnxGraphBuilder g, Weights w, string x, string context, string prefix, int channels)
    {
        var shape = g.Op("Shape", [x]);
        var tokens = g.Op("Transpose", [g.Reshape(x, g.Concat(0, g.Slice(shape, 0, 2, 0), g.Int64s(-1)))], OnnxAttribute.IntList("perm", 0, 2, 1)); // [B, HW, C]
        var block = $"{prefix}.transformer_blocks.0";
        var n1 = LayerNorm(g, w, tokens, $"{block}.norm1", channels);
        tokens = g.Add(tokens, Attention(g, w, n1, n1, $"{block}.attn1", channels, channels, "to_q", "to_k", "to_v", "to_out.0"));
        var n2 = LayerNorm(g, w, tokens, $"{block}.norm2", channels);
        tokens = g.Add(tokens, Attention(g, w, n2, context, $"{block}.attn2", channels, Hidden, "to_q", "to_k", "to_v", "to_out.0"));
        var back = g.Op("Transpose", [tokens], OnnxAttribute.IntList("perm", 0, 2, 1));
        return g.Reshape(back, shape);
    }

    private static string Attention(OnnxGraphBuilder g, Weights w, string queries, string keys, string prefix, int dim, int keyDim, string q, string k, string v, string o)
    {
        var qs = g.MatMul(queries, w.Matrix($"{prefix}.{q}.weight", dim, dim));
        var ks = g.MatMul(keys, w.Matrix($"{prefix}.{k}.weight", keyDim, dim));
        var vs = g.MatMul(keys, w.Matrix($"{prefix}.{v}.weight", keyDim, dim));
        var scores = g.Mul(g.MatMul(qs, g.Op("Transpose", [ks], OnnxAttribute.IntList("perm", 0, 2, 1))), g.Scalar(1f / MathF.Sqrt(dim)));
        var attended = g.MatMul(g.Op("Softmax", [scores], OnnxAttribute.Int("axis", -1)), vs);
        return g.MatMul(attended, w.Matrix($"{prefix}.{o}.weight", dim, dim));
    }

    /// <summary>GroupNorm(8 groups) as diffusers exports it: reshape to [B, groups, -1], InstanceNormalization, reshape back, per-channel affine.</summary>
    private static string GroupNorm(OnnxGraphBuilder g, Weights w, string x, string prefix, int channels)
    {
        const int groups = 8;
        var shape = g.Op("Shape", [x]);
        var grouped = g.Reshape(x, g.Int64s(0, groups, -1));
        var normed = g.Op("InstanceNormalization", [grouped, g.Constant(Enumerable.Repeat(1f, groups).ToArray(), groups), g.Constant(new float[groups], groups)], OnnxAttribute.Float("epsilon", 1e-5f));
        var back = g.Reshape(normed, shape);
        return g.Add(g.Mul(back, g.Reshape(w.Vector($"{prefix}.weight", channels, 1f, 0.1f), g.Int64s(1, channels, 1, 1))),
            g.Reshape(w.Vector($"{prefix}.bias", channels), g.Int64s(1, channels, 1, 1)));
    }

    private static string LayerNorm(OnnxGraphBuilder g, Weights w, string x, string prefix, int dim = Hidden) =>
        g.Op("LayerNormalization", [x, w.Vector($"{prefix}.weight", dim, 1f, 0.1f), w.Vector($"{prefix}.bias", dim)], OnnxAttribute.Int("axis", -1));

    private static string Silu(OnnxGraphBuilder g, string x) => g.Mul(x, g.Op("Sigmoid", [x]));
    private static string Gelu(OnnxGraphBuilder g, string x) => g.Mul(x, g.Op("Sigmoid", [g.Mul(x, g.Scalar(1.702f))]));

    /// <summary>Seeded weights: uniform, scaled by 1/sqrt(fan-in) so activations stay in range.</summary>
    private sealed class Weights(OnnxGraphBuilder g, Random rng)
    {
        public string Matrix(string name, int rows, int cols, float? scale = null) =>
            g.Initializer(name, Uniform(rows * cols, scale ?? 1f / MathF.Sqrt(rows)), rows, cols);

        public string Vector(string name, int n, float centre = 0f, float spread = 0.05f) =>
            g.Initializer(name, Uniform(n, spread).Select(v => v + centre).ToArray(), n);

        public string Conv(string x, string prefix, int inputs, int outputs, int kernel, int stride = 1)
        {
            var weight = g.Initializer($"{prefix}.weight", Uniform(outputs * inputs * kernel * kernel, 1f / MathF.Sqrt(inputs * kernel * kernel)), outputs, inputs, kernel, kernel);
            var bias = Vector($"{prefix}.bias", outputs);
            var pad = kernel / 2;
            return g.Op("Conv", [x, weight, bias], OnnxAttribute.IntList("kernel_shape", kernel, kernel),
                OnnxAttribute.IntList("pads", pad, pad, pad, pad), OnnxAttribute.IntList("strides", stride, stride));
        }

        private float[] Uniform(int n, float scale) => [.. Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 2 - 1) * scale)];
    }

    private static void Write(string folder, string component, byte[] model)
    {
        Directory.CreateDirectory(Path.Combine(folder, component));
        File.WriteAllBytes(Path.Combine(folder, component, "model.onnx"), model);
    }
}
