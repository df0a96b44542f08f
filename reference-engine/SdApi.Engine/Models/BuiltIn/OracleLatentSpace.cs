namespace SdApi.Engine.Models.BuiltIn;

/// <summary>
/// The oracle VAE's latent space: a fixed linear map between RGB (in [-1, 1]) and 4 latent channels.
/// <c>latent = Encode · rgb</c> (scaled latents, the space the scheduler works in) and
/// <c>rgb = Decode · latent</c> with <c>Decode · Encode = I</c>; the VAE ONNX graphs fold in SD's 0.18215 scaling.
/// </summary>
public static class OracleLatentSpace
{
    public const float VaeScalingFactor = 0.18215f;

    /// <summary>4x3, row-major.</summary>
    public static float[] Encode { get; } =
    [
        0.45f, 0.45f, 0.45f,
        0.8f, -0.8f, 0f,
        0.4f, 0.4f, -0.8f,
        0.3f, 0f, -0.3f,
    ];

    /// <summary>3x4, row-major: the left inverse (EᵀE)⁻¹Eᵀ of <see cref="Encode"/>.</summary>
    public static float[] Decode { get; } = LeftInverse(Encode);

    private static float[] LeftInverse(float[] e)
    {
        var ete = new double[3, 3];
        for (var i = 0; i < 3; i++)
            for (var j = 0; j < 3; j++)
                for (var k = 0; k < 4; k++)
                    ete[i, j] += e[k * 3 + i] * e[k * 3 + j];
        var inv = Invert3(ete);
        var d = new float[12];
        for (var i = 0; i < 3; i++)
            for (var k = 0; k < 4; k++)
            {
                double s = 0;
                for (var j = 0; j < 3; j++) s += inv[i, j] * e[k * 3 + j];
                d[i * 4 + k] = (float)s;
            }
        return d;
    }

    private static double[,] Invert3(double[,] m)
    {
        var det = m[0, 0] * (m[1, 1] * m[2, 2] - m[1, 2] * m[2, 1])
                - m[0, 1] * (m[1, 0] * m[2, 2] - m[1, 2] * m[2, 0])
                + m[0, 2] * (m[1, 0] * m[2, 1] - m[1, 1] * m[2, 0]);
        var r = new double[3, 3];
        for (var i = 0; i < 3; i++)
            for (var j = 0; j < 3; j++)
            {
                int r0 = (j + 1) % 3, r1 = (j + 2) % 3, c0 = (i + 1) % 3, c1 = (i + 2) % 3;
                r[i, j] = (m[r0, c0] * m[r1, c1] - m[r0, c1] * m[r1, c0]) / det;
            }
        return r;
    }
}
