namespace SdApi.Engine.Models.BuiltIn;

/// <summary>
/// Stable Diffusion 1.x's training noise schedule (scaled_linear betas 0.00085..0.012 over 1000 steps), as the
/// oracle UNet needs it to turn a (possibly fractional) timestep back into its noise level sigma.
/// </summary>
public static class OracleNoiseSchedule
{
    public const int TrainTimesteps = 1000;

    /// <summary>log(sigma_t) for t = 0..999, sigma_t = sqrt((1 - abar_t) / abar_t).</summary>
    public static float[] LogSigmas()
    {
        var result = new float[TrainTimesteps];
        double alphaBar = 1;
        double start = Math.Sqrt(0.00085), end = Math.Sqrt(0.012);
        for (var t = 0; t < TrainTimesteps; t++)
        {
            var b = start + (end - start) * t / (TrainTimesteps - 1);
            alphaBar *= 1 - b * b;
            result[t] = (float)Math.Log(Math.Sqrt((1 - alphaBar) / alphaBar));
        }
        return result;
    }

    /// <summary>sigma at a fractional timestep: linear interpolation of log sigma (the inverse of diffusers' <c>_sigma_to_t</c>).</summary>
    public static double Sigma(double timestep)
    {
        var logs = LogSigmas();
        var t = Math.Clamp(timestep, 0, TrainTimesteps - 1);
        var lo = (int)Math.Floor(t);
        var hi = Math.Min(lo + 1, TrainTimesteps - 1);
        var frac = t - lo;
        return Math.Exp(logs[lo] * (1 - frac) + logs[hi] * frac);
    }
}
