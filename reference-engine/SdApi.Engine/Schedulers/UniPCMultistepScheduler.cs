namespace SdApi.Engine.Schedulers;

/// <summary>
/// UniPC (Zhao et al. 2023), after diffusers' <c>scheduling_unipc_multistep.py</c>: a multistep predictor (UniP)
/// followed, at the next call, by a corrector (UniC) that reuses the new model output, so there is still one model
/// call per step. <c>solver_order</c> default 2, <c>solver_type</c> bh2 (or bh1), <c>predict_x0</c> true; Karras sigmas;
/// default spacing <c>linspace</c>.
/// </summary>
public sealed class UniPCMultistepScheduler : MultistepSolverScheduler
{
    private readonly float[]?[] _modelOutputs;
    private float[]? _lastSample;
    private int _lowerOrderNums;
    private int _thisOrder;

    public UniPCMultistepScheduler(SchedulerConfig config)
        : base(config)
    {
        SolverOrder = config.SolverOrder ?? 2;
        if (SolverOrder < 1)
        {
            throw new ArgumentException($"{ApiName}: solver_order must be at least 1 (got {SolverOrder}).");
        }

        SolverType = (config.SolverType ?? "bh2") switch
        {
            "bh1" => "bh1",
            "bh2" or "midpoint" or "heun" or "logrho" => "bh2",
            var s => throw new ArgumentException($"solver_type '{s}' is not one of bh1, bh2."),
        };
        FinalSigmasType = config.FinalSigmasType ?? "zero";
        _modelOutputs = new float[SolverOrder][];
    }

    public override string ApiName => "UniPCMultistepScheduler";

    public int SolverOrder { get; }

    public string SolverType { get; }

    public string FinalSigmasType { get; }

    private bool PredictX0 => Config.PredictX0;

    public override void SetTimesteps(int numInferenceSteps)
    {
        ValidateStepCount(numInferenceSteps);
        double[] timesteps, sigmas;
        double last;
        if (Config.UseKarrasSigmas ?? false)
        {
            (timesteps, sigmas) = KarrasSchedule(numInferenceSteps, round: true);
            last = FinalSigmasType == "sigma_min" ? sigmas[^1] : 0.0;
        }
        else
        {
            timesteps = SolverTimesteps(numInferenceSteps, Config.NumTrainTimesteps);
            sigmas = InterpolatedSigmas(timesteps);
            last = FinalSigmasType == "sigma_min" ? SigmaAtZero : 0.0;
        }

        SetSchedule(timesteps, [.. sigmas, last]);
        Array.Clear(_modelOutputs);
        _lastSample = null;
        _lowerOrderNums = 0;
        _thisOrder = 0;
    }

    public override SchedulerStepOutput Step(ReadOnlySpan<float> modelOutput, double timestep, ReadOnlySpan<float> sample, DeterministicRandom? generator = null)
    {
        EnsureReady(modelOutput, sample);
        var i = SolverStepIndex(timestep);
        var useCorrector = i > 0 && _lastSample is not null;
        var converted = PredictX0 ? ToX0(modelOutput, sample, Sigmas[i]) : ToEpsilon(modelOutput, sample, Sigmas[i]);
        var current = useCorrector ? Corrector(converted, _lastSample!, i, _thisOrder) : sample.ToArray();

        for (var k = 0; k < SolverOrder - 1; k++)
        {
            _modelOutputs[k] = _modelOutputs[k + 1];
        }

        _modelOutputs[^1] = converted;
        var thisOrder = Config.LowerOrderFinal ? Math.Min(SolverOrder, Timesteps.Count - i) : SolverOrder;
        _thisOrder = Math.Min(thisOrder, _lowerOrderNums + 1);
        _lastSample = current;
        var prev = Predictor(current, i, _thisOrder);
        if (_lowerOrderNums < SolverOrder)
        {
            _lowerOrderNums++;
        }

        StepIndex = i + 1;
        return new SchedulerStepOutput(prev, PredictX0 ? converted : null);
    }

    // multistep_uni_p_bh_update
    private float[] Predictor(float[] x, int i, int order)
    {
        var (alphaT, sigmaT) = AlphaSigma(Sigmas[i + 1]);
        var (alphaS0, sigmaS0) = AlphaSigma(Sigmas[i]);
        var lambdaS0 = Lambda(Sigmas[i]);
        var h = Lambda(Sigmas[i + 1]) - lambdaS0;
        var m0 = _modelOutputs[^1]!;
        var rks = new List<double>();
        var d1s = new List<float[]>();
        for (var k = 1; k < order; k++)
        {
            var rk = (Lambda(Sigmas[i - k]) - lambdaS0) / h;
            rks.Add(rk);
            d1s.Add(LatentMath.Combine(1 / rk, _modelOutputs[^(k + 1)]!, -1 / rk, m0));
        }

        if (sigmaT == 0 && !PredictX0 && order == 1)
        {
            // Final step to sigma 0 in noise-prediction mode: diffusers computes 0 * inf = NaN here; the limit of
            // alpha_t/alpha_s0 * x - sigma_t * expm1(h) * eps is the data prediction (x - sigma_s0 * eps) / alpha_s0.
            return LatentMath.Combine(1 / alphaS0, x, -sigmaS0 / alphaS0, m0);
        }

        rks.Add(1.0);
        var (hPhi1, bH, r, b) = Coefficients(h, rks, order);
        double[] rhos = d1s.Count == 0 ? [] : order == 2 ? [0.5] : Solve(Minor(r), b[..^1]);

        var baseTerm = PredictX0
            ? LatentMath.Sum((sigmaT / sigmaS0, x), (-alphaT * hPhi1, m0))
            : LatentMath.Sum((alphaT / alphaS0, x), (-sigmaT * hPhi1, m0));
        var scale = (PredictX0 ? alphaT : sigmaT) * bH;
        for (var k = 0; k < d1s.Count; k++)
        {
            LatentMath.AddScaled(baseTerm, -scale * rhos[k], d1s[k]);
        }

        return baseTerm;
    }

    // multistep_uni_c_bh_update
    private float[] Corrector(float[] modelT, float[] lastSample, int i, int order)
    {
        var (alphaT, sigmaT) = AlphaSigma(Sigmas[i]);
        var (alphaS0, sigmaS0) = AlphaSigma(Sigmas[i - 1]);
        var lambdaS0 = Lambda(Sigmas[i - 1]);
        var h = Lambda(Sigmas[i]) - lambdaS0;
        var m0 = _modelOutputs[^1]!;
        var rks = new List<double>();
        var d1s = new List<float[]>();
        for (var k = 1; k < order; k++)
        {
            var rk = (Lambda(Sigmas[i - (k + 1)]) - lambdaS0) / h;
            rks.Add(rk);
            d1s.Add(LatentMath.Combine(1 / rk, _modelOutputs[^(k + 1)]!, -1 / rk, m0));
        }

        rks.Add(1.0);
        var (hPhi1, bH, r, b) = Coefficients(h, rks, order);
        double[] rhos = order == 1 ? [0.5] : Solve(r, b);

        var result = PredictX0
            ? LatentMath.Sum((sigmaT / sigmaS0, lastSample), (-alphaT * hPhi1, m0))
            : LatentMath.Sum((alphaT / alphaS0, lastSample), (-sigmaT * hPhi1, m0));
        var scale = (PredictX0 ? alphaT : sigmaT) * bH;
        for (var k = 0; k < d1s.Count; k++)
        {
            LatentMath.AddScaled(result, -scale * rhos[k], d1s[k]);
        }

        var d1T = LatentMath.Combine(1, modelT, -1, m0);
        LatentMath.AddScaled(result, -scale * rhos[^1], d1T);
        return result;
    }

    // The shared h_phi / B(h) / R / b construction of both updates.
    private (double HPhi1, double BH, double[,] R, double[] B) Coefficients(double h, List<double> rks, int order)
    {
        var hh = PredictX0 ? -h : h;
        var hPhi1 = Math.Exp(hh) - 1; // expm1
        var hPhiK = (hPhi1 / hh) - 1;
        var factorial = 1.0;
        var bH = SolverType == "bh1" ? hh : Math.Exp(hh) - 1;
        var r = new double[order, rks.Count];
        var b = new double[order];
        for (var k = 1; k <= order; k++)
        {
            for (var c = 0; c < rks.Count; c++)
            {
                r[k - 1, c] = Math.Pow(rks[c], k - 1);
            }

            b[k - 1] = hPhiK * factorial / bH;
            factorial *= k + 1;
            hPhiK = (hPhiK / hh) - (1 / factorial);
        }

        return (hPhi1, bH, r, b);
    }

    private static double[,] Minor(double[,] r)
    {
        var n = r.GetLength(0) - 1;
        var m = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                m[i, j] = r[i, j];
            }
        }

        return m;
    }

    /// <summary>Solves a x = b by Gaussian elimination with partial pivoting (torch.linalg.solve for these tiny systems).</summary>
    private static double[] Solve(double[,] a, double[] b)
    {
        var n = b.Length;
        var m = (double[,])a.Clone();
        var x = (double[])b.Clone();
        for (var col = 0; col < n; col++)
        {
            var pivot = col;
            for (var row = col + 1; row < n; row++)
            {
                if (Math.Abs(m[row, col]) > Math.Abs(m[pivot, col]))
                {
                    pivot = row;
                }
            }

            for (var j = 0; j < n; j++)
            {
                (m[col, j], m[pivot, j]) = (m[pivot, j], m[col, j]);
            }

            (x[col], x[pivot]) = (x[pivot], x[col]);
            for (var row = col + 1; row < n; row++)
            {
                var f = m[row, col] / m[col, col];
                for (var j = col; j < n; j++)
                {
                    m[row, j] -= f * m[col, j];
                }

                x[row] -= f * x[col];
            }
        }

        for (var row = n - 1; row >= 0; row--)
        {
            for (var j = row + 1; j < n; j++)
            {
                x[row] -= m[row, j] * x[j];
            }

            x[row] /= m[row, row];
        }

        return x;
    }
}
