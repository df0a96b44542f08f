namespace SdApi.Engine.Imaging;

/// <summary>Dequantisation and the 8x8 inverse DCT (separable, float), level-shifted to 0..255 samples.</summary>
internal static class JpegIdct
{
    private static readonly float[] Cos = BuildCos();

    /// <summary>cos((2x + 1) u pi / 16) * C(u) / 2 at [u * 8 + x], with C(0) = 1/sqrt(2), C(u) = 1 otherwise.</summary>
    private static float[] BuildCos()
    {
        var table = new float[64];
        for (var u = 0; u < 8; u++)
            for (var x = 0; x < 8; x++)
                table[u * 8 + x] = (float)((u == 0 ? 1 / Math.Sqrt(2) : 1) * Math.Cos((2 * x + 1) * u * Math.PI / 16) / 2);
        return table;
    }

    /// <summary>Writes the 8x8 samples of one block (natural-order coefficients) into <paramref name="output"/> at
    /// <paramref name="offset"/> with row stride <paramref name="stride"/>.</summary>
    public static void Transform(ReadOnlySpan<short> coefficients, ReadOnlySpan<ushort> quant, Span<byte> output, int offset, int stride)
    {
        Span<float> rows = stackalloc float[64];
        // 1-D IDCT along each row (over u), for each frequency row v.
        for (var v = 0; v < 8; v++)
            for (var x = 0; x < 8; x++)
            {
                var sum = 0f;
                for (var u = 0; u < 8; u++)
                {
                    var q = coefficients[v * 8 + u] * quant[v * 8 + u];
                    if (q != 0)
                        sum += q * Cos[u * 8 + x];
                }
                rows[v * 8 + x] = sum;
            }
        // Then along the columns (over v).
        for (var y = 0; y < 8; y++)
            for (var x = 0; x < 8; x++)
            {
                var sum = 0f;
                for (var v = 0; v < 8; v++)
                    sum += rows[v * 8 + x] * Cos[v * 8 + y];
                var sample = MathF.Round(sum + 128f);
                output[offset + y * stride + x] = (byte)Math.Clamp(sample, 0f, 255f);
            }
    }
}
