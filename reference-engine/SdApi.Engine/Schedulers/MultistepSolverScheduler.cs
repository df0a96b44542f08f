namespace SdApi.Engine.Schedulers;

/// <summary>
/// Shared base of the exponential-integrator solvers (DPM-Solver multistep/singlestep, UniPC, DEIS): integer
/// timesteps, a sigma per timestep plus a final sigma, and the VP view alpha_t = 1/sqrt(sigma^2+1),
/// sigma_t = sigma * alpha_t, lambda = log(alpha_t) - log(sigma_t). The model input is not scaled.
/// </summary>
public abstract class MultistepSolverScheduler : Scheduler
{
    private double[] _sigmas = [];

    protected MultistepSolverScheduler(SchedulerConfig config)
        : base(config)
    {
        if (config.RescaleBetasZeroSnr)
        {
            // diffusers: a zero terminal SNR would make the last sigma infinite; it uses 2^-24 instead.
            AlphasCumprod[^1] = Math.Pow(2, -24);
        }

        TrainingSigmas = NoiseSchedule.TrainingSigmas(AlphasCumprod);
        LogTrainingSigmas = TrainingSigmas.Select(s => Math.Log(s)).ToArray();
    }

    /// <summary>diffusers' <c>self.sigmas</c>: one per timestep plus the final sigma.</summary>
    public IReadOnlyList<double> Sigmas => _sigmas;

    protected double[] TrainingSigmas { get; }

    protected double[] LogTrainingSigmas { get; }

    /// <summary>The spacing in force (these schedulers default to <c>linspace</c> in diffusers).</summary>
    protected string Spacing => Config.TimestepSpacing ?? "linspace";

    /// <summary>(alpha_t, sigma_t) of a k-diffusion sigma.</summary>
    protected static (double Alpha, double Sigma) AlphaSigma(double sigma)
    {
        var alpha = 1 / Math.Sqrt((sigma * sigma) + 1);
        return (alpha, sigma * alpha);
    }

    /// <summary>lambda = log(alpha_t) - log(sigma_t) (+inf at sigma 0).</summary>
    protected static double Lambda(double sigma)
    {
        var (a, s) = AlphaSigma(sigma);
        return Math.Log(a) - Math.Log(s);
    }

    /// <summary>DPM-Solver's first-order update from step i to i + 1 (diffusers' <c>dpm_solver_first_order_update</c>),
    /// shared by the multistep and singlestep solvers: <paramref name="m"/> is the converted model output (x0 for the
    /// ++ variants, eps otherwise); <paramref name="noise"/> is needed only by the SDE variants.</summary>
    protected float[] DpmSolverFirstOrder(string algorithmType, float[] m, float[] x, int i, float[]? noise)
    {
        var (alphaT, sigmaT) = AlphaSigma(Sigmas[i + 1]);
        var (alphaS, sigmaS) = AlphaSigma(Sigmas[i]);
        var h = Lambda(Sigmas[i + 1]) - Lambda(Sigmas[i]);
        return algorithmType switch
        {
            "dpmsolver++" => LatentMath.Sum((sigmaT / sigmaS, x), (-alphaT * (Math.Exp(-h) - 1), m)),
            "dpmsolver" => LatentMath.Sum((alphaT / alphaS, x), (-sigmaT * (Math.Exp(h) - 1), m)),
            "sde-dpmsolver++" => LatentMath.Sum((sigmaT / sigmaS * Math.Exp(-h), x), (alphaT * (1 - Math.Exp(-2 * h)), m), (sigmaT * Math.Sqrt(1 - Math.Exp(-2 * h)), noise!)),
            "sde-dpmsolver" => LatentMath.Sum((alphaT / alphaS, x), (-2 * sigmaT * (Math.Exp(h) - 1), m), (sigmaT * Math.Sqrt(Math.Exp(2 * h) - 1), noise!)),
            _ => throw new InvalidOperationException($"Unknown algorithm_type '{algorithmType}'."),
        };
    }

    public override float[] AddNoise(ReadOnlySpan<float> originalSamples, ReadOnlySpan<float> noise, double timestep)
    {
        var index = BeginIndex is null ? IndexForSolverTimestep(timestep) : StepIndex ?? BeginIndex.Value;
        var (alpha, sigma) = AlphaSigma(_sigmas[index]);
        return LatentMath.Combine(alpha, originalSamples, sigma, noise);
    }

    /// <summary>The step index for <paramref name="timestep"/>, found on the first call (these solvers fall back to the last index).</summary>
    protected int SolverStepIndex(double timestep)
    {
        StepIndex ??= BeginIndex ?? IndexForSolverTimestep(timestep);
        return StepIndex.Value;
    }

    protected void SetSchedule(double[] timesteps, double[] sigmas)
    {
        SetTimestepValues(timesteps, timesteps.Length);
        _sigmas = sigmas;
    }

    /// <summary>
    /// The "N + 1 points, drop the last" integer grids of DPM-Solver, UniPC and DEIS: linspace
    /// <c>round(linspace(0, last-1, N+1))[::-1][:-1]</c>, leading <c>(arange(N+1) * (last // (N+1)))[::-1][:-1] + offset</c>,
    /// trailing <c>round(arange(last, 0, -T/N)) - 1</c>.
    /// </summary>
    protected double[] SolverTimesteps(int n, int lastTimestep)
    {
        var T = Config.NumTrainTimesteps;
        return Spacing switch
        {
            "linspace" => NoiseSchedule.Linspace(0, lastTimestep - 1, n + 1).Select(IntegerTimesteps.RoundHalfEven).Reverse().Take(n).ToArray(),
            "leading" => Enumerable.Range(0, n + 1).Select(i => (double)(i * (lastTimestep / (n + 1)))).Reverse().Take(n).Select(v => v + Config.StepsOffset).ToArray(),
            "trailing" => IntegerTimesteps.ArangeDown(lastTimestep, 0, (double)T / n).Select(v => IntegerTimesteps.RoundHalfEven(v) - 1).ToArray(),
            var s => throw IntegerTimesteps.UnknownSpacing(s),
        };
    }

    /// <summary>Karras sigmas over the full training range (these solvers take sigma_max/min from the training sigmas) and their rounded timesteps.</summary>
    protected (double[] Timesteps, double[] Sigmas) KarrasSchedule(int n, bool round)
    {
        var sigmas = NoiseSchedule.KarrasSigmas(TrainingSigmas[0], TrainingSigmas[^1], n);
        var timesteps = sigmas.Select(s => NoiseSchedule.SigmaToT(s, LogTrainingSigmas)).ToArray();
        if (round)
        {
            timesteps = timesteps.Select(IntegerTimesteps.RoundHalfEven).ToArray();
        }

        return (timesteps, sigmas);
    }

    /// <summary>np.interp of the training sigmas at the given timesteps.</summary>
    protected double[] InterpolatedSigmas(double[] timesteps)
    {
        var index = Enumerable.Range(0, TrainingSigmas.Length).Select(i => (double)i).ToArray();
        return timesteps.Select(t => NoiseSchedule.Interp(t, index, TrainingSigmas)).ToArray();
    }

    /// <summary>sqrt((1 - abar_0) / abar_0): diffusers' <c>sigma_min</c> final sigma.</summary>
    protected double SigmaAtZero => TrainingSigmas[0];

    /// <summary>x0 from the model output at sigma (data prediction).</summary>
    protected float[] ToX0(ReadOnlySpan<float> modelOutput, ReadOnlySpan<float> sample, double sigma)
    {
        var (alpha, sigmaT) = AlphaSigma(sigma);
        return ModelPrediction.ToX0(Config.PredictionType, modelOutput, sample, alpha, sigmaT);
    }

    /// <summary>eps from the model output at sigma (noise prediction).</summary>
    protected float[] ToEpsilon(ReadOnlySpan<float> modelOutput, ReadOnlySpan<float> sample, double sigma)
    {
        var (alpha, sigmaT) = AlphaSigma(sigma);
        return ModelPrediction.ToEpsilon(Config.PredictionType, modelOutput, sample, alpha, sigmaT);
    }

    private int IndexForSolverTimestep(double timestep)
    {
        var matches = new List<int>();
        for (var i = 0; i < Timesteps.Count; i++)
        {
            if (Timesteps[i] == timestep)
            {
                matches.Add(i);
            }
        }

        return matches.Count switch
        {
            0 => Timesteps.Count - 1,
            1 => matches[0],
            _ => matches[1],
        };
    }
}
