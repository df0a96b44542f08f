namespace SdApi.Engine.Models.BuiltIn;

/// <summary>
/// The oracle UNet's drawing, in plain C#: the clean latent (and RGB) a summed prompt embedding stands for.
/// Tests use it to compute the image every correct scheduler must converge to; the UNet graph (<see cref="OracleUnet"/>)
/// computes the same formulas with ONNX operators.
/// </summary>
public static class OracleScene
{
    /// <summary>
    /// The UNet's clean image in RGB (unclamped, [3, h, w]) for the condition vector <paramref name="cond"/> (the summed
    /// embedding after the UNet's MatMul): the neutral scene N (empty prompt) plus the prompt's departure from it
    /// divided by <see cref="OracleUnet.GuidanceCalibration"/>. Guidance at that scale therefore lands exactly on
    /// the drawn scene: <c>N + g·(N + (S - N)/g - N) = S</c> for an empty negative prompt.
    /// </summary>
    public static float[] Rgb(IReadOnlyList<float> cond, int h, int w, OracleComposition composition)
    {
        var scene = Draw(cond, h, w, composition);
        var neutral = Draw(new float[OracleFeatures.HiddenSize], h, w, composition);
        for (var i = 0; i < scene.Length; i++) scene[i] = neutral[i] + (scene[i] - neutral[i]) / OracleUnet.GuidanceCalibration;
        return scene;
    }

    /// <summary>
    /// The scene the prompt names, drawn in RGB (unclamped, [3, h, w]) with the seed's <paramref name="composition"/>:
    /// shape colour = mean of the shape's colour words (white if none), turned in hue; ground = mean of the ground's
    /// colour words (base grey if none) + tanh(tint) + the seed's shift; the shapes' masks are drawn around the
    /// shifted centre at the seed's scale.
    /// </summary>
    public static float[] Draw(IReadOnlyList<float> cond, int h, int w, OracleComposition composition)
    {
        ArgumentNullException.ThrowIfNull(cond);
        ArgumentNullException.ThrowIfNull(composition);
        var colourCount = cond[OracleFeatures.ColourCount];
        var groundCount = cond[OracleFeatures.GroundColourCount];
        var shapeCount = cond[OracleFeatures.ShapeCount];
        var fg = new float[3];
        var bg = new float[3];
        for (var c = 0; c < 3; c++)
        {
            fg[c] = cond[OracleFeatures.Foreground + c] / Math.Max(colourCount, 1f) + OracleFeatures.DefaultForeground[c] * Math.Max(1f - colourCount, 0f);
            bg[c] = cond[OracleFeatures.GroundColour + c] / Math.Max(groundCount, 1f) + OracleFeatures.BaseBackground[c] * Math.Max(1f - groundCount, 0f)
                + MathF.Tanh(cond[OracleFeatures.Background + c]) + composition.BackgroundShift[c];
        }
        fg = composition.TurnHue(fg);
        var weights = new float[OracleFeatures.Shapes.Count];
        for (var s = 0; s < weights.Length; s++)
            weights[s] = cond[OracleFeatures.ShapeWeights + s] / Math.Max(shapeCount, 1f) + (s == 0 ? Math.Max(1f - shapeCount, 0f) : 0f);

        var rgb = new float[3 * h * w];
        var unit = Math.Min(h, w) * 0.5f;
        for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++)
            {
                var v = ((y + 0.5f - h * 0.5f) / unit - composition.OffsetV) / composition.Scale;
                var u = ((x + 0.5f - w * 0.5f) / unit - composition.OffsetU) / composition.Scale;
                var masks = Masks(u, v);
                var m = 0f;
                for (var s = 0; s < masks.Length; s++) m += weights[s] * masks[s];
                m = Math.Clamp(m, 0f, 1f);
                for (var c = 0; c < 3; c++) rgb[(c * h + y) * w + x] = bg[c] + (fg[c] - bg[c]) * m;
            }
        return rgb;
    }

    /// <summary>The clean (scaled) latent, [4, h, w].</summary>
    public static float[] Latent(IReadOnlyList<float> cond, int h, int w, OracleComposition composition) => ToLatent(Rgb(cond, h, w, composition), h, w);

    /// <summary>
    /// img2img/inpaint: the target the init image is carried to, <c>(1 - strength)·init + strength·scene</c>
    /// (RGB [3, h, w]; the oracle VAE is linear, so blending RGB equals blending latents).
    /// </summary>
    public static float[] Blend(float[] initRgb, float[] sceneRgb, double strength)
    {
        ArgumentNullException.ThrowIfNull(initRgb);
        ArgumentNullException.ThrowIfNull(sceneRgb);
        var w = (float)Math.Clamp(strength, 0, 1);
        var result = new float[sceneRgb.Length];
        for (var i = 0; i < result.Length; i++) result[i] = initRgb[i] + (sceneRgb[i] - initRgb[i]) * w;
        return result;
    }

    /// <summary>RGB [3, h, w] to the oracle's scaled latent [4, h, w].</summary>
    public static float[] ToLatent(float[] rgb, int h, int w)
    {
        ArgumentNullException.ThrowIfNull(rgb);
        var latent = new float[4 * h * w];
        for (var c = 0; c < 4; c++)
            for (var i = 0; i < h * w; i++)
            {
                var s = 0f;
                for (var k = 0; k < 3; k++) s += OracleLatentSpace.Encode[c * 3 + k] * rgb[k * h * w + i];
                latent[c * h * w + i] = s;
            }
        return latent;
    }

    private static float[] Masks(float u, float v)
    {
        static float Edge(float d) => Math.Clamp(d * OracleUnet.EdgeSharpness + 0.5f, 0f, 1f);
        var r = MathF.Sqrt(u * u + v * v);
        return
        [
            Edge(0.55f - r),
            Edge(0.5f - Math.Max(Math.Abs(u), Math.Abs(v))),
            Edge(Math.Min(0.5f - v, (v + 0.6f) * 0.55f - Math.Abs(u))),
            Math.Clamp(MathF.Sin(u * (float)(4 * Math.PI)) * 2f + 0.5f, 0f, 1f),
            Edge(0.6f - (Math.Abs(u) + Math.Abs(v))),
            Edge(0.12f - Math.Abs(r - 0.45f)),
        ];
    }
}
