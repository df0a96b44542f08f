using SdApi.Engine.Text;

namespace SdApi.Engine.Models.BuiltIn;

/// <summary>
/// The image the built-in model must produce, computed without ONNX Runtime: the prompt's summed token features
/// (<see cref="OracleFeatures"/>), classifier-free guidance applied to the clean scenes, the VAE's exact inverse
/// pair, 8x nearest upsampling and diffusers' byte conversion. A correct scheduler converges to it.
/// </summary>
public static class OracleReference
{
    /// <summary>The summed prompt embedding the UNet sees (before any LoRA), for clip_skip 1..8.</summary>
    public static float[] Condition(ClipTokenizer tokenizer, string prompt, int clipSkip = 1)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        var sum = new float[OracleFeatures.HiddenSize];
        var ids = tokenizer.EncodeForModel(prompt ?? "");
        var vocabulary = OracleTokenizerFiles.Create().Vocabulary;
        var tokens = ids.Select(id => OracleFeatures.TokenFeatures(vocabulary[id])).ToList();
        OracleFeatures.RouteColours(tokens);
        foreach (var f in tokens)
            for (var k = 0; k < sum.Length; k++) sum[k] += f[k];
        var fade = (float)Math.Pow(OracleTextEncoder.LayerGain, -(Math.Clamp(clipSkip, 1, OracleTextEncoder.Layers + 1) - 1));
        for (var k = 0; k < sum.Length; k++) sum[k] *= fade;
        return sum;
    }

    /// <summary>Expected RGB bytes (width x height, packed) for a text2img request on the built-in model with sample seed <paramref name="seed"/>.</summary>
    public static byte[] ExpectedRgb(ClipTokenizer tokenizer, string prompt, string? negativePrompt, double guidanceScale, int width, int height, long seed, int clipSkip = 1) =>
        ToBytes(GuidedRgb(tokenizer, prompt, negativePrompt, guidanceScale, height / 8, width / 8, seed, clipSkip), width, height);

    /// <summary>
    /// Expected RGB bytes for img2img on the built-in model: the init image's 8x8 block means (its VAE round trip)
    /// carried towards the guided scene by <paramref name="strength"/>. <paramref name="initRgb"/> is packed RGB of
    /// the working size (width x height, multiples of 8).
    /// </summary>
    public static byte[] ExpectedImg2ImgRgb(ClipTokenizer tokenizer, string prompt, string? negativePrompt, double guidanceScale, byte[] initRgb, int width, int height, long seed, double strength)
    {
        ArgumentNullException.ThrowIfNull(initRgb);
        var scene = GuidedRgb(tokenizer, prompt, negativePrompt, guidanceScale, height / 8, width / 8, seed);
        return ToBytes(OracleScene.Blend(BlockMeans(initRgb, width, height), scene, strength), width, height);
    }

    /// <summary>The oracle VAE's view of an image: each 8x8 block's mean colour, RGB in [-1, 1], [3, height/8, width/8].</summary>
    public static float[] BlockMeans(byte[] rgb, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(rgb);
        int h = height / 8, w = width / 8;
        var means = new float[3 * h * w];
        for (var y = 0; y < h * 8; y++)
            for (var x = 0; x < w * 8; x++)
                for (var c = 0; c < 3; c++)
                    means[(c * h + y / 8) * w + x / 8] += (rgb[(y * width + x) * 3 + c] / 255f * 2 - 1) / 64f;
        return means;
    }

    /// <summary>The guided clean scene at latent resolution, [3, h, w], unclamped (classifier-free guidance is linear in x0).</summary>
    public static float[] GuidedRgb(ClipTokenizer tokenizer, string prompt, string? negativePrompt, double guidanceScale, int h, int w, long seed, int clipSkip = 1)
    {
        var composition = OracleComposition.FromSeed(seed);
        var cond = OracleScene.Rgb(Condition(tokenizer, prompt, clipSkip), h, w, composition);
        if (guidanceScale <= 1) return cond;
        var uncond = OracleScene.Rgb(Condition(tokenizer, negativePrompt ?? "", clipSkip), h, w, composition);
        var rgb = new float[cond.Length];
        for (var i = 0; i < rgb.Length; i++) rgb[i] = uncond[i] + (float)guidanceScale * (cond[i] - uncond[i]);
        return rgb;
    }

    /// <summary>A latent-resolution scene [3, height/8, width/8] as the oracle VAE decodes it: 8x nearest upsampling, diffusers' byte conversion.</summary>
    public static byte[] ToBytes(float[] rgb, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(rgb);
        int h = height / 8, w = width / 8;
        var bytes = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                for (var c = 0; c < 3; c++)
                {
                    var v = rgb[(c * h + y / 8) * w + x / 8];
                    bytes[(y * width + x) * 3 + c] = (byte)Math.Round(Math.Clamp(v * 0.5f + 0.5f, 0f, 1f) * 255f);
                }
        return bytes;
    }

    /// <summary>Peak signal-to-noise ratio in dB between two equally sized 8-bit images (infinity when identical).</summary>
    public static double Psnr(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (a.Length != b.Length) throw new ArgumentException("Images differ in size.", nameof(b));
        double sum = 0;
        for (var i = 0; i < a.Length; i++) { var d = a[i] - b[i]; sum += d * d; }
        var mse = sum / a.Length;
        return mse == 0 ? double.PositiveInfinity : 10 * Math.Log10(255.0 * 255.0 / mse);
    }
}
