namespace SdApi.Engine.Schedulers;

/// <summary>
/// The training noise schedule and the grid helpers diffusers' schedulers share (betas, cumulative alphas,
/// sigma/timestep conversion, Karras sigmas). Everything is computed in double precision.
/// </summary>
public static class NoiseSchedule
{
    /// <summary>Betas from <c>trained_betas</c> or <c>beta_schedule</c> (diffusers' <c>__init__</c> of every DDPM-family scheduler).</summary>
    public static double[] Betas(SchedulerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var n = config.NumTrainTimesteps;
        double[] betas;
        if (config.TrainedBetas is { } trained)
        {
            betas = trained.ToArray();
        }
        else
        {
            betas = config.BetaSchedule switch
            {
                "linear" => Linspace(config.BetaStart, config.BetaEnd, n),
                "scaled_linear" => Linspace(Math.Sqrt(config.BetaStart), Math.Sqrt(config.BetaEnd), n).Select(b => b * b).ToArray(),
                "squaredcos_cap_v2" => BetasForAlphaBar(n),
                _ => throw new ArgumentException($"beta_schedule '{config.BetaSchedule}' is not one of linear, scaled_linear, squaredcos_cap_v2."),
            };
        }

        return config.RescaleBetasZeroSnr ? RescaleZeroTerminalSnr(betas) : betas;
    }

    /// <summary>alphas_cumprod[t] = prod_{i&lt;=t} (1 - beta_i).</summary>
    public static double[] AlphasCumprod(IReadOnlyList<double> betas)
    {
        ArgumentNullException.ThrowIfNull(betas);
        var result = new double[betas.Count];
        var p = 1.0;
        for (var i = 0; i < result.Length; i++)
        {
            p *= 1.0 - betas[i];
            result[i] = p;
        }

        return result;
    }

    /// <summary>The k-diffusion sigma of each training timestep: sqrt((1 - abar) / abar).</summary>
    public static double[] TrainingSigmas(IReadOnlyList<double> alphasCumprod)
    {
        ArgumentNullException.ThrowIfNull(alphasCumprod);
        return alphasCumprod.Select(a => Math.Sqrt((1 - a) / a)).ToArray();
    }

    /// <summary>numpy.linspace(start, stop, num) (endpoint included).</summary>
    public static double[] Linspace(double start, double stop, int num)
    {
        var result = new double[num];
        if (num == 1)
        {
            result[0] = start;
            return result;
        }

        var step = (stop - start) / (num - 1);
        for (var i = 0; i < num; i++)
        {
            result[i] = start + (i * step);
        }

        result[num - 1] = stop;
        return result;
    }

    /// <summary>numpy.interp(x, xp, fp) for ascending <paramref name="xp"/>.</summary>
    public static double Interp(double x, IReadOnlyList<double> xp, IReadOnlyList<double> fp)
    {
        ArgumentNullException.ThrowIfNull(xp);
        ArgumentNullException.ThrowIfNull(fp);
        if (x <= xp[0])
        {
            return fp[0];
        }

        if (x >= xp[^1])
        {
            return fp[^1];
        }

        var hi = 1;
        while (xp[hi] < x)
        {
            hi++;
        }

        var lo = hi - 1;
        var w = (x - xp[lo]) / (xp[hi] - xp[lo]);
        return fp[lo] + (w * (fp[hi] - fp[lo]));
    }

    /// <summary>
    /// diffusers' <c>_sigma_to_t</c>: the (fractional) training timestep of a sigma, by linear interpolation in log-sigma.
    /// <paramref name="logSigmas"/> are the logs of the training sigmas, ascending.
    /// </summary>
    public static double SigmaToT(double sigma, IReadOnlyList<double> logSigmas)
    {
        ArgumentNullException.ThrowIfNull(logSigmas);
        var logSigma = Math.Log(Math.Max(sigma, 1e-10));
        // low_idx = last index whose log-sigma <= log_sigma (cumsum(dists >= 0).argmax()), clipped to n - 2.
        var low = 0;
        for (var i = 0; i < logSigmas.Count; i++)
        {
            if (logSigma - logSigmas[i] >= 0)
            {
                low = i;
            }
        }

        low = Math.Min(low, logSigmas.Count - 2);
        var high = low + 1;
        var w = (logSigmas[low] - logSigma) / (logSigmas[low] - logSigmas[high]);
        w = Math.Clamp(w, 0, 1);
        return ((1 - w) * low) + (w * high);
    }

    /// <summary>Karras et al. (2022) eq. 5 with rho = 7, from <paramref name="sigmaMax"/> down to <paramref name="sigmaMin"/>.</summary>
    public static double[] KarrasSigmas(double sigmaMin, double sigmaMax, int num, double rho = 7.0)
    {
        var ramp = Linspace(0, 1, num);
        var minInvRho = Math.Pow(sigmaMin, 1 / rho);
        var maxInvRho = Math.Pow(sigmaMax, 1 / rho);
        return ramp.Select(r => Math.Pow(maxInvRho + (r * (minInvRho - maxInvRho)), rho)).ToArray();
    }

    private static double[] BetasForAlphaBar(int n, double maxBeta = 0.999)
    {
        static double AlphaBar(double t) => Math.Pow(Math.Cos((t + 0.008) / 1.008 * Math.PI / 2), 2);
        var betas = new double[n];
        for (var i = 0; i < n; i++)
        {
            var t1 = (double)i / n;
            var t2 = (double)(i + 1) / n;
            betas[i] = Math.Min(1 - (AlphaBar(t2) / AlphaBar(t1)), maxBeta);
        }

        return betas;
    }

    // diffusers' rescale_zero_terminal_snr (Lin et al. 2023, Algorithm 1).
    private static double[] RescaleZeroTerminalSnr(double[] betas)
    {
        var alphasBarSqrt = AlphasCumprod(betas).Select(Math.Sqrt).ToArray();
        var first = alphasBarSqrt[0];
        var last = alphasBarSqrt[^1];
        for (var i = 0; i < alphasBarSqrt.Length; i++)
        {
            alphasBarSqrt[i] = (alphasBarSqrt[i] - last) * first / (first - last);
        }

        var alphasBar = alphasBarSqrt.Select(a => a * a).ToArray();
        var result = new double[betas.Length];
        for (var i = 0; i < result.Length; i++)
        {
            var alpha = i == 0 ? alphasBar[0] : alphasBar[i] / alphasBar[i - 1];
            result[i] = 1 - alpha;
        }

        return result;
    }
}
