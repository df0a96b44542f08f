namespace SdApi.Engine.Schedulers;

/// <summary>
/// DEIS (Zhang and Chen 2022), after diffusers' <c>scheduling_deis_multistep.py</c>: exponential-integrator
/// multistep on the noise prediction in log-rho time (rho = sigma_t / alpha_t), order 1-3 (default 2). Like diffusers,
/// the last step ends at sigma(t = 0) rather than 0, so a little noise (sigma about 0.029 for SD) remains.
/// Default spacing <c>linspace</c>; Karras sigmas supported.
/// </summary>
public sealed class DEISMultistepScheduler : MultistepSolverScheduler
{
    private readonly float[]?[] _modelOutputs;
    private int _lowerOrderNums;

    public DEISMultistepScheduler(SchedulerConfig config)
        : base(config)
    {
        var algorithm = config.AlgorithmType ?? "deis";
        if (algorithm is not ("deis" or "dpmsolver" or "dpmsolver++"))
        {
            throw new ArgumentException($"{ApiName}: algorithm_type '{algorithm}' is not supported (deis; dpmsolver/dpmsolver++ are read as deis).");
        }

        var solverType = config.SolverType ?? "logrho";
        if (solverType is not ("logrho" or "midpoint" or "heun" or "bh1" or "bh2"))
        {
            throw new ArgumentException($"{ApiName}: solver_type '{solverType}' is not supported (logrho).");
        }

        SolverOrder = config.SolverOrder ?? 2;
        if (SolverOrder is < 1 or > 3)
        {
            throw new ArgumentException($"{ApiName}: solver_order must be 1, 2 or 3 (got {SolverOrder}).");
        }

        _modelOutputs = new float[SolverOrder][];
    }

    public override string ApiName => "DEISMultistepScheduler";

    public int SolverOrder { get; }

    public override void SetTimesteps(int numInferenceSteps)
    {
        ValidateStepCount(numInferenceSteps);
        double[] timesteps, sigmas;
        if (Config.UseKarrasSigmas ?? false)
        {
            (timesteps, sigmas) = KarrasSchedule(numInferenceSteps, round: true);
            sigmas = [.. sigmas, sigmas[^1]];
        }
        else
        {
            timesteps = SolverTimesteps(numInferenceSteps, Config.NumTrainTimesteps);
            sigmas = [.. InterpolatedSigmas(timesteps), SigmaAtZero];
        }

        SetSchedule(timesteps, sigmas);
        Array.Clear(_modelOutputs);
        _lowerOrderNums = 0;
    }

    public override SchedulerStepOutput Step(ReadOnlySpan<float> modelOutput, double timestep, ReadOnlySpan<float> sample, DeterministicRandom? generator = null)
    {
        EnsureReady(modelOutput, sample);
        var i = SolverStepIndex(timestep);
        var n = Timesteps.Count;
        var lowerOrderFinal = i == n - 1 && Config.LowerOrderFinal && n < 15;
        var lowerOrderSecond = i == n - 2 && Config.LowerOrderFinal && n < 15;

        // diffusers converts through x0 and back to eps.
        var x0 = ToX0(modelOutput, sample, Sigmas[i]);
        var (alphaI, sigmaI) = AlphaSigma(Sigmas[i]);
        var eps = LatentMath.Combine(1 / sigmaI, sample, -alphaI / sigmaI, x0);
        for (var k = 0; k < SolverOrder - 1; k++)
        {
            _modelOutputs[k] = _modelOutputs[k + 1];
        }

        _modelOutputs[^1] = eps;
        float[] prev;
        if (SolverOrder == 1 || _lowerOrderNums < 1 || lowerOrderFinal)
        {
            prev = FirstOrder(eps, sample, i);
        }
        else if (SolverOrder == 2 || _lowerOrderNums < 2 || lowerOrderSecond)
        {
            prev = SecondOrder(sample, i);
        }
        else
        {
            prev = ThirdOrder(sample, i);
        }

        if (_lowerOrderNums < SolverOrder)
        {
            _lowerOrderNums++;
        }

        StepIndex = i + 1;
        return new SchedulerStepOutput(prev, x0);
    }

    private float[] FirstOrder(float[] m, ReadOnlySpan<float> x, int i)
    {
        var (alphaT, sigmaT) = AlphaSigma(Sigmas[i + 1]);
        var (alphaS, _) = AlphaSigma(Sigmas[i]);
        var h = Lambda(Sigmas[i + 1]) - Lambda(Sigmas[i]);
        return LatentMath.Combine(alphaT / alphaS, x, -sigmaT * (Math.Exp(h) - 1), m);
    }

    private float[] SecondOrder(ReadOnlySpan<float> x, int i)
    {
        var (alphaT, sigmaT) = AlphaSigma(Sigmas[i + 1]);
        var (alphaS0, sigmaS0) = AlphaSigma(Sigmas[i]);
        var (alphaS1, sigmaS1) = AlphaSigma(Sigmas[i - 1]);
        var (rhoT, rhoS0, rhoS1) = (sigmaT / alphaT, sigmaS0 / alphaS0, sigmaS1 / alphaS1);

        static double Ind(double t, double b, double c) => t * (-Math.Log(c) + Math.Log(t) - 1) / (Math.Log(b) - Math.Log(c));
        var coef1 = Ind(rhoT, rhoS0, rhoS1) - Ind(rhoS0, rhoS0, rhoS1);
        var coef2 = Ind(rhoT, rhoS1, rhoS0) - Ind(rhoS0, rhoS1, rhoS0);
        var result = LatentMath.Combine(alphaT / alphaS0, x, alphaT * coef1, _modelOutputs[^1]!);
        LatentMath.AddScaled(result, alphaT * coef2, _modelOutputs[^2]!);
        return result;
    }

    private float[] ThirdOrder(ReadOnlySpan<float> x, int i)
    {
        var (alphaT, sigmaT) = AlphaSigma(Sigmas[i + 1]);
        var (alphaS0, sigmaS0) = AlphaSigma(Sigmas[i]);
        var (alphaS1, sigmaS1) = AlphaSigma(Sigmas[i - 1]);
        var (alphaS2, sigmaS2) = AlphaSigma(Sigmas[i - 2]);
        var (rhoT, rhoS0, rhoS1, rhoS2) = (sigmaT / alphaT, sigmaS0 / alphaS0, sigmaS1 / alphaS1, sigmaS2 / alphaS2);

        static double Ind(double t, double b, double c, double d)
        {
            var (lt, lb, lc, ld) = (Math.Log(t), Math.Log(b), Math.Log(c), Math.Log(d));
            var numerator = t * ((lc * (ld - lt + 1)) - (ld * lt) + ld + (lt * lt) - (2 * lt) + 2);
            var denominator = (lb - lc) * (lb - ld);
            return numerator / denominator;
        }

        var coef1 = Ind(rhoT, rhoS0, rhoS1, rhoS2) - Ind(rhoS0, rhoS0, rhoS1, rhoS2);
        var coef2 = Ind(rhoT, rhoS1, rhoS2, rhoS0) - Ind(rhoS0, rhoS1, rhoS2, rhoS0);
        var coef3 = Ind(rhoT, rhoS2, rhoS0, rhoS1) - Ind(rhoS0, rhoS2, rhoS0, rhoS1);
        var result = LatentMath.Combine(alphaT / alphaS0, x, alphaT * coef1, _modelOutputs[^1]!);
        LatentMath.AddScaled(result, alphaT * coef2, _modelOutputs[^2]!);
        LatentMath.AddScaled(result, alphaT * coef3, _modelOutputs[^3]!);
        return result;
    }
}
