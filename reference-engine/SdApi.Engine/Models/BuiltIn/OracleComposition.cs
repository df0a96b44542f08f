using SdApi.Engine.Onnx;
using SdApi.Engine.Ort;

namespace SdApi.Engine.Models.BuiltIn;

/// <summary>
/// What the sample's seed decides in the built-in model's picture, as a real model's initial noise decides the
/// composition: where the shape sits, how big it is, a small hue turn of its colour and a small shift of the
/// background. The UNet gets the seed as an extra input (<see cref="SeedInputName"/>; a real diffusers export has no
/// such input) and computes the same numbers with ONNX operators (<see cref="Build"/>).
/// </summary>
/// <remarks>
/// The seed becomes uniforms by a Weyl sequence, <c>u_k = frac(seed · α_k)</c> in integer arithmetic
/// (<c>(seed mod M) · A_k mod M</c>, M = 2³¹-1, A_k ≈ α_k·M with α_k irrational): seeds that differ by 1, 2 or 3
/// (the samples of one request) differ by the fixed, well-spread amounts frac(α_k), 2α_k, 3α_k in every uniform, so
/// they are never near-copies, and every seed maps to the same picture on every machine.
/// </remarks>
public sealed record OracleComposition(float OffsetU, float OffsetV, float Scale, float HueAngle, float[] BackgroundShift)
{
    /// <summary>The UNet input carrying each batch item's seed (int64 [batch]).</summary>
    public const string SeedInputName = "sdapi_seed";

    public const long Modulus = 2147483647;

    /// <summary>
    /// round(α·M) for α = π - 2.88, e - 1.98, √5 - 2 (position and size: k·α for k = 1, 2, 3 stays at least 0.21 away
    /// from a whole number, so the samples of one request sit visibly apart), then √2 - 1, √10 - 3, √7 - 2, 2√2 - 2.
    /// </summary>
    public static IReadOnlyList<long> Multipliers { get; } =
        [.. new[] { Math.PI - 2.88, Math.E - 1.98, 0.2360679775, 0.4142135624, 0.1622776602, 0.6457513111, 0.8284271247 }
            .Select(a => (long)Math.Round(a * Modulus))];

    /// <summary>Largest shift of the shape's centre, in units of half the shorter side.</summary>
    public const float MaxOffset = 0.3f;
    public const float MinScale = 0.75f;
    public const float ScaleRange = 0.5f;
    /// <summary>Largest hue turn of the shape's colour around the grey axis, radians (about 17°).</summary>
    public const float MaxHueAngle = 0.3f;
    /// <summary>Largest background shift per RGB channel (in [-1, 1] units, about 19 of 255).</summary>
    public const float MaxBackgroundShift = 0.15f;

    /// <summary>The seed's uniforms in [0, 1), computed exactly as the graph does (int64 arithmetic, then float32).</summary>
    public static float[] Uniforms(long seed)
    {
        var s = ((seed % Modulus) + Modulus) % Modulus;
        return [.. Multipliers.Select(a => (float)(s * a % Modulus) / (float)Modulus)];
    }

    public static OracleComposition FromSeed(long seed)
    {
        var u = Uniforms(seed);
        return new OracleComposition(
            (u[0] - 0.5f) * (2 * MaxOffset),
            (u[1] - 0.5f) * (2 * MaxOffset),
            MinScale + ScaleRange * u[2],
            (u[3] - 0.5f) * (2 * MaxHueAngle),
            [(u[4] - 0.5f) * (2 * MaxBackgroundShift), (u[5] - 0.5f) * (2 * MaxBackgroundShift), (u[6] - 0.5f) * (2 * MaxBackgroundShift)]);
    }

    /// <summary>Turns an RGB colour (in [-1, 1]) around the grey axis by <see cref="HueAngle"/> (Rodrigues' formula).</summary>
    public float[] TurnHue(IReadOnlyList<float> rgb)
    {
        ArgumentNullException.ThrowIfNull(rgb);
        float cos = MathF.Cos(HueAngle), sin = MathF.Sin(HueAngle);
        var mean = (rgb[0] + rgb[1] + rgb[2]) / 3f;
        var k = 1f / MathF.Sqrt(3f);
        float[] cross = [(rgb[2] - rgb[1]) * k, (rgb[0] - rgb[2]) * k, (rgb[1] - rgb[0]) * k];
        var result = new float[3];
        for (var c = 0; c < 3; c++) result[c] = rgb[c] * cos + cross[c] * sin + mean * (1 - cos);
        return result;
    }

    /// <summary>The composition tensors of the graph, from the int64 seed input [B]: each [B, 1] (shift [B, 3]).</summary>
    internal static (string OffsetU, string OffsetV, string Scale, string Cos, string Sin, string BackgroundShift) Build(OnnxGraphBuilder g, string seed)
    {
        var modulus = g.Int64s(Modulus);
        var s = g.Op("Mod", [g.Op("Mod", [seed, modulus]), modulus]);  // fmod 0: the sign of the divisor, like C#'s ((x % m) + m) % m
        var products = g.Mul(g.Unsqueeze(s, 1), g.Op("Reshape", [g.Int64s([.. Multipliers]), g.Int64s(1, Multipliers.Count)]));
        var u = g.Div(g.Cast(g.Op("Mod", [products, modulus]), OrtElementType.Float), g.Scalar(Modulus));   // [B, 7]
        string Uniform(int k) => g.Slice(u, k, k + 1, 1);
        string Centred(int k, float half) => g.Mul(g.Sub(Uniform(k), g.Scalar(0.5f)), g.Scalar(2 * half));
        var angle = Centred(3, MaxHueAngle);
        return (
            Centred(0, MaxOffset),
            Centred(1, MaxOffset),
            g.Add(g.Scalar(MinScale), g.Mul(Uniform(2), g.Scalar(ScaleRange))),
            g.Op("Cos", [angle]),
            g.Op("Sin", [angle]),
            g.Mul(g.Sub(g.Slice(u, 4, 7, 1), g.Scalar(0.5f)), g.Scalar(2 * MaxBackgroundShift)));
    }
}
