using SdApi.Engine.Onnx;
using SdApi.Engine.Ort;

namespace SdApi.Engine.Models.BuiltIn;

/// <summary>
/// The oracle UNet. It knows the clean latent x0 a request stands for and predicts exactly the noise that separates the
/// sample from it: <c>eps = (x_t·sqrt(1+sigma²) - x0) / sigma</c>, which is <c>(x_t - sqrt(abar)·x0) / sqrt(1-abar)</c>
/// with sigma read from the timestep by interpolating log sigma (exact for integer and fractional timesteps).
/// x0 is a scene drawn on coordinate grids built from the sample's own shape (<see cref="OracleScene"/> is the
/// same drawing in C#): the summed prompt embedding goes through one MatMul weight
/// (<see cref="ConditionWeightName"/>, identity, the LoRA target), then sets shape colour, shape weights and
/// ground; the sample's seed (<see cref="OracleComposition"/>) places and sizes the shape and turns the colours a
/// little; the departure from the neutral (empty-prompt) scene is divided by <see cref="GuidanceCalibration"/> so
/// that guidance 7.5 draws the scene itself; the RGB is mapped into latent space by a 1x1 convolution; for
/// img2img/inpaint the init latent is carried towards it by the strength.
/// </summary>
public static class OracleUnet
{
    public const string ConditionWeightName = "mid_block.attentions.0.transformer_blocks.0.attn2.to_v.weight";
    public const float EdgeSharpness = 8f;
    /// <summary>The prompt's departure from the neutral scene is divided by this, so guidance 7.5 (the API default) draws the scene exactly.</summary>
    public const float GuidanceCalibration = 7.5f;

    /// <summary>Extra input (float [batch, 4, h, w], broadcastable): the init image's latent for img2img/inpaint.</summary>
    public const string InitLatentInputName = "sdapi_init_latent";
    /// <summary>Extra input (float [batch]): how far the target moves from the init latent to the scene (1 = text2img).</summary>
    public const string StrengthInputName = "sdapi_strength";

    public static byte[] Build()
    {
        const int d = OracleFeatures.HiddenSize;
        var g = new OnnxGraphBuilder("oracle_unet");
        var sample = g.Input("sample", OrtElementType.Float, "batch", 4L, "height", "width");
        var timestep = g.Input("timestep", OrtElementType.Float, "timestep_batch");
        var context = g.Input("encoder_hidden_states", OrtElementType.Float, "batch", "sequence", (long)d);
        // The built-in model's own inputs (a diffusers export has none of them; the pipeline feeds them when declared).
        var seed = g.Input(OracleComposition.SeedInputName, OrtElementType.Int64, "batch");
        var initLatent = g.Input(InitLatentInputName, OrtElementType.Float, "init_batch", 4L, "init_height", "init_width");
        var strength = g.Input(StrengthInputName, OrtElementType.Float, "batch");

        // ---- the seed's composition: shape centre and size, hue turn, background shift ----
        var (offsetU, offsetV, scale, cos, sin, backgroundShift) = OracleComposition.Build(g, seed);
        var one = g.Scalar(1f);

        // ---- the scene the prompt describes ----
        var pooled = g.Op("ReduceSum", [context, g.Int64s(1)], OnnxAttribute.Int("keepdims", 0));
        var identity = new float[d * d];
        for (var k = 0; k < d; k++) identity[k * d + k] = 1;
        var cond = g.MatMul(pooled, g.Initializer(ConditionWeightName, identity, d, d));

        // ---- coordinate grids from the sample's shape: centred, unit = half the shorter side, then moved and scaled by the seed ----
        var shape = g.Op("Shape", [sample]);
        var heightI = g.Slice(shape, 2, 3, 0);
        var widthI = g.Slice(shape, 3, 4, 0);
        var heightF = g.Op("Squeeze", [g.Cast(heightI, OrtElementType.Float)]);
        var widthF = g.Op("Squeeze", [g.Cast(widthI, OrtElementType.Float)]);
        var half = g.Scalar(0.5f);
        var unit = g.Mul(g.Min(heightF, widthF), half);
        var v = g.Div(g.Sub(g.Add(g.Op("Range", [g.Scalar(0f), heightF, one]), half), g.Mul(heightF, half)), unit);
        var u = g.Div(g.Sub(g.Add(g.Op("Range", [g.Scalar(0f), widthF, one]), half), g.Mul(widthF, half)), unit);
        var uRow = g.Unsqueeze(g.Div(g.Sub(g.Unsqueeze(u, 0), offsetU), scale), 1, 2);   // [B, 1, 1, W]
        var vCol = g.Unsqueeze(g.Div(g.Sub(g.Unsqueeze(v, 0), offsetV), scale), 1, 3);   // [B, 1, H, 1]
        var absU = g.Abs(uRow);
        var absV = g.Abs(vCol);
        var radius = g.Sqrt(g.Add(g.Mul(uRow, uRow), g.Mul(vCol, vCol)));
        var zeroGrid = g.Mul(g.Add(uRow, vCol), g.Scalar(0f)); // [B, 1, H, W] of zeros, to broadcast 1-D shapes

        string Edge(string signedDistance) => g.Saturate(g.Add(g.Mul(signedDistance, g.Scalar(EdgeSharpness)), half));
        var masks = new[]
        {
            Edge(g.Sub(g.Scalar(0.55f), radius)),                                                        // circle
            Edge(g.Sub(g.Scalar(0.5f), g.Max(g.Add(absU, zeroGrid), absV))),                            // square
            Edge(g.Min(g.Sub(g.Scalar(0.5f), vCol), g.Sub(g.Mul(g.Add(vCol, g.Scalar(0.6f)), g.Scalar(0.55f)), absU))), // triangle
            g.Saturate(g.Add(g.Mul(g.Op("Sin", [g.Mul(uRow, g.Scalar((float)(4 * Math.PI)))]), g.Scalar(2f)), g.Add(half, zeroGrid))), // stripes
            Edge(g.Sub(g.Scalar(0.6f), g.Add(absU, absV))),                                              // diamond
            Edge(g.Sub(g.Scalar(0.12f), g.Abs(g.Sub(radius, g.Scalar(0.45f))))),                         // ring
        };
        var stacked = g.Concat(1, masks);                                              // [B, 6, H, W]

        // the scene for a condition vector [B, d]: background + (foreground - background) * mask
        string Draw(string c)
        {
            var colourSum = g.Slice(c, OracleFeatures.Foreground, OracleFeatures.Foreground + 3, 1);
            var colourCount = g.Slice(c, OracleFeatures.ColourCount, OracleFeatures.ColourCount + 1, 1);
            var shapeSum = g.Slice(c, OracleFeatures.ShapeWeights, OracleFeatures.ShapeWeights + OracleFeatures.Shapes.Count, 1);
            var shapeCount = g.Slice(c, OracleFeatures.ShapeCount, OracleFeatures.ShapeCount + 1, 1);
            var tint = g.Slice(c, OracleFeatures.Background, OracleFeatures.Background + 3, 1);
            var groundSum = g.Slice(c, OracleFeatures.GroundColour, OracleFeatures.GroundColour + 3, 1);
            var groundCount = g.Slice(c, OracleFeatures.GroundColourCount, OracleFeatures.GroundColourCount + 1, 1);

            // mean of the named colours, or the default where none is named (relu(1 - count) fades it in below 1)
            var foreground = g.Add(g.Div(colourSum, g.Max(colourCount, one)),
                g.Mul(g.Constant([.. OracleFeatures.DefaultForeground], 1, 3), g.Relu(g.Sub(one, colourCount))));
            foreground = TurnHue(g, foreground, cos, sin);
            var circleOnly = new float[OracleFeatures.Shapes.Count];
            circleOnly[0] = 1;
            var weights = g.Add(g.Div(shapeSum, g.Max(shapeCount, one)),
                g.Mul(g.Constant(circleOnly, 1, OracleFeatures.Shapes.Count), g.Relu(g.Sub(one, shapeCount))));
            var background = g.Add(g.Add(g.Add(g.Div(groundSum, g.Max(groundCount, one)),
                g.Mul(g.Constant([.. OracleFeatures.BaseBackground], 1, 3), g.Relu(g.Sub(one, groundCount)))), g.Op("Tanh", [tint])), backgroundShift);
            var mask = g.Saturate(g.Op("ReduceSum", [g.Mul(g.Unsqueeze(weights, 2, 3), stacked), g.Int64s(1)], OnnxAttribute.Int("keepdims", 1))); // [B, 1, H, W]
            var fg4 = g.Unsqueeze(foreground, 2, 3);
            var bg4 = g.Unsqueeze(background, 2, 3);
            return g.Add(bg4, g.Mul(g.Sub(fg4, bg4), mask));                           // [B, 3, H, W]
        }
        var scene = Draw(cond);
        // neutral scene N (empty prompt, same seed); x0 = N + (scene - N) / calibration
        var neutral = Draw(g.Mul(cond, g.Scalar(0f)));
        var rgb = g.Add(neutral, g.Mul(g.Sub(scene, neutral), g.Scalar(1f / GuidanceCalibration)));
        var sceneLatent = g.Op("Conv", [rgb, g.Initializer("conv_out.weight", OracleLatentSpace.Encode, 4, 3, 1, 1), g.Initializer("conv_out.bias", new float[4], 4)]);
        // img2img/inpaint: the init latent carried towards the scene by the strength (text2img: strength 1)
        var x0 = g.Add(initLatent, g.Mul(g.Sub(sceneLatent, initLatent), g.Reshape(strength, g.Int64s(-1, 1, 1, 1))));

        // ---- noise level from the timestep: sigma = exp(lerp(log_sigma[floor t], log_sigma[floor t + 1])) ----
        var logSigmas = g.Initializer("oracle.log_sigmas", OracleNoiseSchedule.LogSigmas(), OracleNoiseSchedule.TrainTimesteps);
        var t = g.Reshape(g.Cast(timestep, OrtElementType.Float), g.Int64s(-1, 1, 1, 1));
        var tClamped = g.Op("Clip", [t, g.Scalar(0f), g.Scalar(OracleNoiseSchedule.TrainTimesteps - 1)]);
        var t0 = g.Op("Floor", [tClamped]);
        var t1 = g.Min(g.Add(t0, one), g.Scalar(OracleNoiseSchedule.TrainTimesteps - 1));
        var frac = g.Sub(tClamped, t0);
        var log0 = g.Op("Gather", [logSigmas, g.Cast(t0, OrtElementType.Int64)], OnnxAttribute.Int("axis", 0));
        var log1 = g.Op("Gather", [logSigmas, g.Cast(t1, OrtElementType.Int64)], OnnxAttribute.Int("axis", 0));
        var sigma = g.Op("Exp", [g.Add(log0, g.Mul(g.Sub(log1, log0), frac))]);
        var inputScale = g.Sqrt(g.Add(one, g.Mul(sigma, sigma)));
        var eps = g.Div(g.Sub(g.Mul(sample, inputScale), x0), sigma);
        g.Output("out_sample", eps, OrtElementType.Float, "batch", 4L, "height", "width");
        return g.ToModelBytes();
    }

    /// <summary>Rodrigues' turn of RGB rows [B, 3] around the grey axis (<see cref="OracleComposition.TurnHue"/>).</summary>
    private static string TurnHue(OnnxGraphBuilder g, string rgb, string cos, string sin)
    {
        var k = 1f / MathF.Sqrt(3f);
        // row vector times matrix: (k x rgb) = rgb @ cross, mean(rgb)·(1,1,1) = rgb @ mean
        float[] cross = [0, k, -k, -k, 0, k, k, -k, 0];
        var mean = Enumerable.Repeat(1f / 3f, 9).ToArray();
        var turned = g.Add(g.Mul(rgb, cos), g.Mul(g.MatMul(rgb, g.Constant(cross, 3, 3)), sin));
        return g.Add(turned, g.Mul(g.MatMul(rgb, g.Constant(mean, 3, 3)), g.Sub(g.Scalar(1f), cos)));
    }
}
