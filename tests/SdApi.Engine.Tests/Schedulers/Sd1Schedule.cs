namespace SdApi.Engine.Tests.Schedulers;

/// <summary>
/// Stable Diffusion 1.x's training noise schedule written out from the closed form, independently of the engine:
/// scaled_linear betas (sqrt(0.00085) .. sqrt(0.012) over 1000 steps, squared), abar = cumulative product of
/// (1 - beta), sigma = sqrt((1 - abar) / abar).
/// </summary>
internal static class Sd1Schedule
{
    public const int T = 1000;

    public static readonly double[] AlphasCumprod = BuildAlphasCumprod();

    public static readonly double[] Sigmas = AlphasCumprod.Select(a => Math.Sqrt((1 - a) / a)).ToArray();

    /// <summary>The sigma of a fractional timestep: linear interpolation between training timesteps (numpy.interp).</summary>
    public static double SigmaAt(double t)
    {
        if (t <= 0)
        {
            return Sigmas[0];
        }

        if (t >= T - 1)
        {
            return Sigmas[T - 1];
        }

        var lo = (int)Math.Floor(t);
        var w = t - lo;
        return (Sigmas[lo] * (1 - w)) + (Sigmas[lo + 1] * w);
    }

    /// <summary>Karras et al. (2022) eq. 5, rho = 7, N values from sigmaMax to sigmaMin.</summary>
    public static double[] Karras(double sigmaMin, double sigmaMax, int n) =>
        Enumerable.Range(0, n)
            .Select(i => Math.Pow(Math.Pow(sigmaMax, 1 / 7.0) + (i / (double)(n - 1) * (Math.Pow(sigmaMin, 1 / 7.0) - Math.Pow(sigmaMax, 1 / 7.0))), 7))
            .ToArray();

    private static double[] BuildAlphasCumprod()
    {
        var lo = Math.Sqrt(0.00085);
        var hi = Math.Sqrt(0.012);
        var result = new double[T];
        var product = 1.0;
        for (var i = 0; i < T; i++)
        {
            var b = lo + (i * (hi - lo) / (T - 1));
            product *= 1 - (b * b);
            result[i] = product;
        }

        return result;
    }
}
