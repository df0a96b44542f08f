namespace SdApi.Engine.Schedulers;

/// <summary>
/// DPM-Solver singlestep (Lu et al. 2022), after diffusers' <c>scheduling_dpmsolver_singlestep.py</c>: the steps are
/// grouped (orders 1,2,1,2,... for order 2); each group restarts from the sample at its start and uses only the model
/// outputs inside it. <c>algorithm_type</c> dpmsolver++ (default) | sde-dpmsolver++ | dpmsolver; linspace timesteps only
/// (diffusers has no spacing option here); Karras sigmas supported.
/// </summary>
public sealed class DPMSolverSinglestepScheduler : MultistepSolverScheduler
{
    private readonly float[]?[] _modelOutputs;
    private float[]? _groupSample;
    private int[] _orderList = [];

    public DPMSolverSinglestepScheduler(SchedulerConfig config)
        : base(config)
    {
        AlgorithmType = DpmSolverSettings.Algorithm(config, ["dpmsolver", "dpmsolver++", "sde-dpmsolver++"]);
        SolverType = DpmSolverSettings.SolverType(config);
        SolverOrder = config.SolverOrder ?? 2;
        if (SolverOrder is < 1 or > 3)
        {
            throw new ArgumentException($"{ApiName}: solver_order must be 1, 2 or 3 (got {SolverOrder}).");
        }

        FinalSigmasType = DpmSolverSettings.FinalSigmasType(config, AlgorithmType);
        _modelOutputs = new float[SolverOrder][];
    }

    public override string ApiName => "DPMSolverSinglestepScheduler";

    public override bool IsStochastic => AlgorithmType == "sde-dpmsolver++";

    public string AlgorithmType { get; }

    public string SolverType { get; }

    public int SolverOrder { get; }

    public string FinalSigmasType { get; }

    /// <summary>The order used at each step (diffusers' <c>order_list</c>).</summary>
    public IReadOnlyList<int> OrderList => _orderList;

    private bool DataPrediction => AlgorithmType is "dpmsolver++" or "sde-dpmsolver++";

    public override void SetTimesteps(int numInferenceSteps)
    {
        ValidateStepCount(numInferenceSteps);
        double[] timesteps, sigmas;
        if (Config.UseKarrasSigmas ?? false)
        {
            (timesteps, sigmas) = KarrasSchedule(numInferenceSteps, round: true);
        }
        else
        {
            var T = Config.NumTrainTimesteps;
            timesteps = NoiseSchedule.Linspace(0, T - 1, numInferenceSteps + 1).Select(IntegerTimesteps.RoundHalfEven).Reverse().Take(numInferenceSteps).ToArray();
            sigmas = InterpolatedSigmas(timesteps);
        }

        var last = FinalSigmasType == "sigma_min" ? SigmaAtZero : 0.0;
        SetSchedule(timesteps, [.. sigmas, last]);
        // diffusers switches lower_order_final on for an uneven step count or a zero final sigma.
        var lowerOrderFinal = Config.LowerOrderFinal || numInferenceSteps % SolverOrder != 0 || FinalSigmasType == "zero";
        _orderList = OrdersFor(numInferenceSteps, SolverOrder, lowerOrderFinal, FinalSigmasType == "zero");
        Array.Clear(_modelOutputs);
        _groupSample = null;
    }

    /// <summary>diffusers' <c>get_order_list</c>: the solver order used at each of <paramref name="steps"/> steps.</summary>
    public static int[] OrdersFor(int steps, int order, bool lowerOrderFinal, bool zeroFinalSigma)
    {
        static IEnumerable<int> Repeat(int[] pattern, int times) => Enumerable.Repeat(pattern, Math.Max(times, 0)).SelectMany(p => p);
        List<int> orders;
        if (lowerOrderFinal)
        {
            orders = order switch
            {
                3 => steps % 3 == 0 ? [.. Repeat([1, 2, 3], (steps / 3) - 1), 1, 2, 1]
                    : steps % 3 == 1 ? [.. Repeat([1, 2, 3], steps / 3), 1]
                    : [.. Repeat([1, 2, 3], steps / 3), 1, 2],
                2 => steps % 2 == 0 ? [.. Repeat([1, 2], (steps / 2) - 1), 1, 1] : [.. Repeat([1, 2], steps / 2), 1],
                _ => [.. Enumerable.Repeat(1, steps)],
            };
        }
        else
        {
            orders = order switch
            {
                3 => [.. Repeat([1, 2, 3], steps / 3)],
                2 => [.. Repeat([1, 2], steps / 2)],
                _ => [.. Enumerable.Repeat(1, steps)],
            };
        }

        if (zeroFinalSigma)
        {
            orders[^1] = 1;
        }

        return [.. orders];
    }

    public override SchedulerStepOutput Step(ReadOnlySpan<float> modelOutput, double timestep, ReadOnlySpan<float> sample, DeterministicRandom? generator = null)
    {
        EnsureReady(modelOutput, sample);
        var i = SolverStepIndex(timestep);
        var converted = DataPrediction ? ToX0(modelOutput, sample, Sigmas[i]) : ToEpsilon(modelOutput, sample, Sigmas[i]);
        for (var k = 0; k < SolverOrder - 1; k++)
        {
            _modelOutputs[k] = _modelOutputs[k + 1];
        }

        _modelOutputs[^1] = converted;
        var noise = IsStochastic ? RequireGenerator(generator).NextGaussian(sample.Length) : null;
        var order = _orderList[i];
        while (_modelOutputs[^order] is null)
        {
            order--;
        }

        if (order == 1)
        {
            _groupSample = sample.ToArray();
        }

        var x = _groupSample!;
        var prev = order switch
        {
            1 => DpmSolverFirstOrder(AlgorithmType, converted, x, i, noise),
            2 => SecondOrder(x, i, noise),
            _ => ThirdOrder(x, i, noise),
        };
        StepIndex = i + 1;
        return new SchedulerStepOutput(prev, DataPrediction ? converted : null);
    }

    private float[] SecondOrder(float[] x, int i, float[]? noise)
    {
        var (alphaT, sigmaT) = AlphaSigma(Sigmas[i + 1]);
        var (alphaS1, sigmaS1) = AlphaSigma(Sigmas[i - 1]);
        var lambdaT = Lambda(Sigmas[i + 1]);
        var lambdaS0 = Lambda(Sigmas[i]);
        var lambdaS1 = Lambda(Sigmas[i - 1]);
        var m0 = _modelOutputs[^1]!;
        var m1 = _modelOutputs[^2]!;
        var h = lambdaT - lambdaS1;
        var r0 = (lambdaS0 - lambdaS1) / h;
        var d0 = m1;
        var d1 = LatentMath.Combine(1 / r0, m0, -1 / r0, m1);
        var midpoint = SolverType == "midpoint";
        return AlgorithmType switch
        {
            "dpmsolver++" => LatentMath.Sum(
                (sigmaT / sigmaS1, x),
                (-alphaT * (Math.Exp(-h) - 1), d0),
                (midpoint ? -0.5 * alphaT * (Math.Exp(-h) - 1) : alphaT * (((Math.Exp(-h) - 1) / h) + 1), d1)),
            "dpmsolver" => LatentMath.Sum(
                (alphaT / alphaS1, x),
                (-sigmaT * (Math.Exp(h) - 1), d0),
                (midpoint ? -0.5 * sigmaT * (Math.Exp(h) - 1) : -sigmaT * (((Math.Exp(h) - 1) / h) - 1), d1)),
            _ => LatentMath.Sum(
                (sigmaT / sigmaS1 * Math.Exp(-h), x),
                (alphaT * (1 - Math.Exp(-2 * h)), d0),
                (midpoint ? 0.5 * alphaT * (1 - Math.Exp(-2 * h)) : alphaT * (((1 - Math.Exp(-2 * h)) / (-2 * h)) + 1), d1),
                (sigmaT * Math.Sqrt(1 - Math.Exp(-2 * h)), noise!)),
        };
    }

    private float[] ThirdOrder(float[] x, int i, float[]? noise)
    {
        var (alphaT, sigmaT) = AlphaSigma(Sigmas[i + 1]);
        var (alphaS2, sigmaS2) = AlphaSigma(Sigmas[i - 2]);
        var lambdaT = Lambda(Sigmas[i + 1]);
        var lambdaS0 = Lambda(Sigmas[i]);
        var lambdaS1 = Lambda(Sigmas[i - 1]);
        var lambdaS2 = Lambda(Sigmas[i - 2]);
        var m0 = _modelOutputs[^1]!;
        var m1 = _modelOutputs[^2]!;
        var m2 = _modelOutputs[^3]!;
        var h = lambdaT - lambdaS2;
        var r0 = (lambdaS0 - lambdaS2) / h;
        var r1 = (lambdaS1 - lambdaS2) / h;
        var d0 = m2;
        var d10 = LatentMath.Combine(1 / r1, m1, -1 / r1, m2);
        var d11 = LatentMath.Combine(1 / r0, m0, -1 / r0, m2);
        var d1 = LatentMath.Combine(r0 / (r0 - r1), d10, -r1 / (r0 - r1), d11);
        var d2 = LatentMath.Combine(2 / (r0 - r1), d11, -2 / (r0 - r1), d10);
        var midpoint = SolverType == "midpoint";
        return AlgorithmType switch
        {
            "dpmsolver++" => midpoint
                ? LatentMath.Sum((sigmaT / sigmaS2, x), (-alphaT * (Math.Exp(-h) - 1), d0), (alphaT * (((Math.Exp(-h) - 1) / h) + 1), d11))
                : LatentMath.Sum((sigmaT / sigmaS2, x), (-alphaT * (Math.Exp(-h) - 1), d0), (alphaT * (((Math.Exp(-h) - 1) / h) + 1), d1), (-alphaT * (((Math.Exp(-h) - 1 + h) / (h * h)) - 0.5), d2)),
            "dpmsolver" => midpoint
                ? LatentMath.Sum((alphaT / alphaS2, x), (-sigmaT * (Math.Exp(h) - 1), d0), (-sigmaT * (((Math.Exp(h) - 1) / h) - 1), d11))
                : LatentMath.Sum((alphaT / alphaS2, x), (-sigmaT * (Math.Exp(h) - 1), d0), (-sigmaT * (((Math.Exp(h) - 1) / h) - 1), d1), (-sigmaT * (((Math.Exp(h) - 1 - h) / (h * h)) - 0.5), d2)),
            _ => midpoint
                ? LatentMath.Sum((sigmaT / sigmaS2 * Math.Exp(-h), x), (alphaT * (1 - Math.Exp(-2 * h)), d0), (alphaT * (((1 - Math.Exp(-2 * h)) / (-2 * h)) + 1), d11), (sigmaT * Math.Sqrt(1 - Math.Exp(-2 * h)), noise!))
                : LatentMath.Sum((sigmaT / sigmaS2 * Math.Exp(-h), x), (alphaT * (1 - Math.Exp(-2 * h)), d0), (alphaT * (((1 - Math.Exp(-2 * h)) / (-2 * h)) + 1), d1), (alphaT * (((1 - Math.Exp(-2 * h) - (2 * h)) / (4 * h * h)) - 0.5), d2), (sigmaT * Math.Sqrt(1 - Math.Exp(-2 * h)), noise!)),
        };
    }
}
