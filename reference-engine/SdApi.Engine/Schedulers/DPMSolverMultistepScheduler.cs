namespace SdApi.Engine.Schedulers;

/// <summary>
/// DPM-Solver / DPM-Solver++ multistep (Lu et al. 2022), after diffusers' <c>scheduling_dpmsolver_multistep.py</c>.
/// <c>algorithm_type</c>: <c>dpmsolver++</c> (default, data prediction), <c>sde-dpmsolver++</c> (stochastic),
/// <c>dpmsolver</c>, <c>sde-dpmsolver</c> (noise prediction); <c>solver_order</c> 1-3 (default 2), <c>solver_type</c>
/// midpoint|heun; Karras sigmas; default spacing <c>linspace</c>.
/// </summary>
public sealed class DPMSolverMultistepScheduler : MultistepSolverScheduler
{
    private readonly float[]?[] _modelOutputs;
    private int _lowerOrderNums;

    public DPMSolverMultistepScheduler(SchedulerConfig config)
        : base(config)
    {
        AlgorithmType = DpmSolverSettings.Algorithm(config, ["dpmsolver", "dpmsolver++", "sde-dpmsolver", "sde-dpmsolver++"]);
        SolverType = DpmSolverSettings.SolverType(config);
        SolverOrder = config.SolverOrder ?? 2;
        if (SolverOrder is < 1 or > 3)
        {
            throw new ArgumentException($"{ApiName}: solver_order must be 1, 2 or 3 (got {SolverOrder}).");
        }

        if (AlgorithmType == "sde-dpmsolver" && SolverOrder == 3)
        {
            throw new ArgumentException($"{ApiName}: diffusers has no third-order update for sde-dpmsolver; use solver_order 1 or 2.");
        }

        FinalSigmasType = DpmSolverSettings.FinalSigmasType(config, AlgorithmType);
        _modelOutputs = new float[SolverOrder][];
    }

    public override string ApiName => "DPMSolverMultistepScheduler";

    public override bool IsStochastic => AlgorithmType.StartsWith("sde-", StringComparison.Ordinal);

    /// <summary>The algorithm in force after defaults and the request's <c>algorithm_type</c>.</summary>
    public string AlgorithmType { get; }

    public string SolverType { get; }

    public int SolverOrder { get; }

    public string FinalSigmasType { get; }

    private bool DataPrediction => AlgorithmType is "dpmsolver++" or "sde-dpmsolver++";

    public override void SetTimesteps(int numInferenceSteps)
    {
        ValidateStepCount(numInferenceSteps);
        double[] timesteps, sigmas;
        if (Config.UseKarrasSigmas ?? false)
        {
            (timesteps, sigmas) = KarrasSchedule(numInferenceSteps, round: Config.BetaSchedule != "squaredcos_cap_v2");
        }
        else
        {
            timesteps = SolverTimesteps(numInferenceSteps, Config.NumTrainTimesteps);
            sigmas = InterpolatedSigmas(timesteps);
        }

        var last = FinalSigmasType == "sigma_min" ? SigmaAtZero : 0.0;
        SetSchedule(timesteps, [.. sigmas, last]);
        Array.Clear(_modelOutputs);
        _lowerOrderNums = 0;
    }

    public override SchedulerStepOutput Step(ReadOnlySpan<float> modelOutput, double timestep, ReadOnlySpan<float> sample, DeterministicRandom? generator = null)
    {
        EnsureReady(modelOutput, sample);
        var i = SolverStepIndex(timestep);
        var n = Timesteps.Count;
        var lowerOrderFinal = i == n - 1 && (Config.EulerAtFinal || (Config.LowerOrderFinal && n < 15) || FinalSigmasType == "zero");
        var lowerOrderSecond = i == n - 2 && Config.LowerOrderFinal && n < 15;

        var converted = DataPrediction ? ToX0(modelOutput, sample, Sigmas[i]) : ToEpsilon(modelOutput, sample, Sigmas[i]);
        for (var k = 0; k < SolverOrder - 1; k++)
        {
            _modelOutputs[k] = _modelOutputs[k + 1];
        }

        _modelOutputs[^1] = converted;
        var noise = IsStochastic ? RequireGenerator(generator).NextGaussian(sample.Length) : null;
        var x = sample.ToArray();

        float[] prev;
        if (SolverOrder == 1 || _lowerOrderNums < 1 || lowerOrderFinal)
        {
            prev = DpmSolverFirstOrder(AlgorithmType, converted, x, i, noise);
        }
        else if (SolverOrder == 2 || _lowerOrderNums < 2 || lowerOrderSecond)
        {
            prev = SecondOrder(x, i, noise);
        }
        else
        {
            prev = ThirdOrder(x, i, noise);
        }

        if (_lowerOrderNums < SolverOrder)
        {
            _lowerOrderNums++;
        }

        StepIndex = i + 1;
        return new SchedulerStepOutput(prev, DataPrediction ? converted : null);
    }

    private float[] SecondOrder(float[] x, int i, float[]? noise)
    {
        var (alphaT, sigmaT) = AlphaSigma(Sigmas[i + 1]);
        var (alphaS0, sigmaS0) = AlphaSigma(Sigmas[i]);
        var lambdaT = Lambda(Sigmas[i + 1]);
        var lambdaS0 = Lambda(Sigmas[i]);
        var lambdaS1 = Lambda(Sigmas[i - 1]);
        var m0 = _modelOutputs[^1]!;
        var m1 = _modelOutputs[^2]!;
        var h = lambdaT - lambdaS0;
        var r0 = (lambdaS0 - lambdaS1) / h;
        var d0 = m0;
        var d1 = LatentMath.Combine(1 / r0, m0, -1 / r0, m1);
        var midpoint = SolverType == "midpoint";
        switch (AlgorithmType)
        {
            case "dpmsolver++":
                return LatentMath.Sum(
                    (sigmaT / sigmaS0, x),
                    (-alphaT * (Math.Exp(-h) - 1), d0),
                    (midpoint ? -0.5 * alphaT * (Math.Exp(-h) - 1) : alphaT * (((Math.Exp(-h) - 1) / h) + 1), d1));
            case "dpmsolver":
                return LatentMath.Sum(
                    (alphaT / alphaS0, x),
                    (-sigmaT * (Math.Exp(h) - 1), d0),
                    (midpoint ? -0.5 * sigmaT * (Math.Exp(h) - 1) : -sigmaT * (((Math.Exp(h) - 1) / h) - 1), d1));
            case "sde-dpmsolver++":
                return LatentMath.Sum(
                    (sigmaT / sigmaS0 * Math.Exp(-h), x),
                    (alphaT * (1 - Math.Exp(-2 * h)), d0),
                    (midpoint ? 0.5 * alphaT * (1 - Math.Exp(-2 * h)) : alphaT * (((1 - Math.Exp(-2 * h)) / (-2 * h)) + 1), d1),
                    (sigmaT * Math.Sqrt(1 - Math.Exp(-2 * h)), noise!));
            default:
                return LatentMath.Sum(
                    (alphaT / alphaS0, x),
                    (-2 * sigmaT * (Math.Exp(h) - 1), d0),
                    (midpoint ? -sigmaT * (Math.Exp(h) - 1) : -2 * sigmaT * (((Math.Exp(h) - 1) / h) - 1), d1),
                    (sigmaT * Math.Sqrt(Math.Exp(2 * h) - 1), noise!));
        }
    }

    private float[] ThirdOrder(float[] x, int i, float[]? noise)
    {
        var (alphaT, sigmaT) = AlphaSigma(Sigmas[i + 1]);
        var (alphaS0, sigmaS0) = AlphaSigma(Sigmas[i]);
        var lambdaT = Lambda(Sigmas[i + 1]);
        var lambdaS0 = Lambda(Sigmas[i]);
        var lambdaS1 = Lambda(Sigmas[i - 1]);
        var lambdaS2 = Lambda(Sigmas[i - 2]);
        var m0 = _modelOutputs[^1]!;
        var m1 = _modelOutputs[^2]!;
        var m2 = _modelOutputs[^3]!;
        var h = lambdaT - lambdaS0;
        var r0 = (lambdaS0 - lambdaS1) / h;
        var r1 = (lambdaS1 - lambdaS2) / h;
        var d10 = LatentMath.Combine(1 / r0, m0, -1 / r0, m1);
        var d11 = LatentMath.Combine(1 / r1, m1, -1 / r1, m2);
        var d1 = LatentMath.Combine(1 + (r0 / (r0 + r1)), d10, -r0 / (r0 + r1), d11);
        var d2 = LatentMath.Combine(1 / (r0 + r1), d10, -1 / (r0 + r1), d11);
        return AlgorithmType switch
        {
            "dpmsolver++" => LatentMath.Sum(
                (sigmaT / sigmaS0, x),
                (-alphaT * (Math.Exp(-h) - 1), m0),
                (alphaT * (((Math.Exp(-h) - 1) / h) + 1), d1),
                (-alphaT * (((Math.Exp(-h) - 1 + h) / (h * h)) - 0.5), d2)),
            "dpmsolver" => LatentMath.Sum(
                (alphaT / alphaS0, x),
                (-sigmaT * (Math.Exp(h) - 1), m0),
                (-sigmaT * (((Math.Exp(h) - 1) / h) - 1), d1),
                (-sigmaT * (((Math.Exp(h) - 1 - h) / (h * h)) - 0.5), d2)),
            // sde-dpmsolver++ (the constructor refuses order 3 for sde-dpmsolver, as diffusers has no such update)
            _ => LatentMath.Sum(
                (sigmaT / sigmaS0 * Math.Exp(-h), x),
                (alphaT * (1 - Math.Exp(-2 * h)), m0),
                (alphaT * (((1 - Math.Exp(-2 * h)) / (-2 * h)) + 1), d1),
                (alphaT * (((1 - Math.Exp(-2 * h) - (2 * h)) / (4 * h * h)) - 0.5), d2),
                (sigmaT * Math.Sqrt(1 - Math.Exp(-2 * h)), noise!)),
        };
    }
}
