namespace SdApi.Engine.Schedulers;

/// <summary>
/// Pseudo numerical methods (Liu et al. 2022), after diffusers' <c>scheduling_pndm.py</c>. With
/// <c>skip_prk_steps</c> (SD's configuration) it is PLMS: 4th-order Adams-Bashforth on the noise prediction, with the
/// second timestep listed twice for the warm-up; otherwise the first steps are pseudo Runge-Kutta (4 calls each).
/// Default spacing <c>leading</c>.
/// </summary>
public sealed class PNDMScheduler : Scheduler
{
    private const int PndmOrder = 4;
    private readonly List<float[]> _ets = [];
    private double[] _prkTimesteps = [];
    private float[]? _curModelOutput;
    private float[]? _curSample;
    private int _counter;

    public PNDMScheduler(SchedulerConfig config)
        : base(config)
    {
        FinalAlphaCumprod = config.SetAlphaToOne ? 1.0 : AlphasCumprod[0];
    }

    public override string ApiName => "PNDMScheduler";

    private double FinalAlphaCumprod { get; }

    private int StepRatio => Config.NumTrainTimesteps / NumInferenceSteps;

    public override void SetTimesteps(int numInferenceSteps)
    {
        ValidateStepCount(numInferenceSteps);
        var T = Config.NumTrainTimesteps;
        // diffusers' _timesteps are ascending here.
        var ascending = (Config.TimestepSpacing ?? "leading") switch
        {
            "linspace" => NoiseSchedule.Linspace(0, T - 1, numInferenceSteps).Select(IntegerTimesteps.RoundHalfEven).ToArray(),
            // clamped as in IntegerTimesteps.Descending: at numInferenceSteps == T the offset would index one past the schedule
            "leading" => Enumerable.Range(0, numInferenceSteps).Select(i => (double)Math.Min((i * (T / numInferenceSteps)) + Config.StepsOffset, T - 1)).ToArray(),
            "trailing" => IntegerTimesteps.ArangeDown(T, 0, (double)T / numInferenceSteps).Select(v => IntegerTimesteps.RoundHalfEven(v) - 1).Reverse().ToArray(),
            var s => throw IntegerTimesteps.UnknownSpacing(s),
        };

        double[] plms;
        if (Config.SkipPrkSteps)
        {
            _prkTimesteps = [];
            // concat(_timesteps[:-1], _timesteps[-2:-1], _timesteps[-1:])[::-1] (Python slices: [-2:-1] is empty for one step)
            plms = ascending.Length >= 2 ? [.. ascending[..^1], ascending[^2], ascending[^1]] : [ascending[^1]];
            Array.Reverse(plms);
        }
        else
        {
            var half = T / numInferenceSteps / 2;
            var last = ascending[Math.Max(0, ascending.Length - PndmOrder)..];
            var prk = new List<double>();
            foreach (var v in last)
            {
                prk.Add(v);
                prk.Add(v + half);
            }

            // prk_timesteps[:-1].repeat(2)[1:-1][::-1]
            var repeated = prk.Take(prk.Count - 1).SelectMany(v => new[] { v, v }).ToList();
            _prkTimesteps = repeated.Skip(1).Take(repeated.Count - 2).Reverse().ToArray();
            plms = ascending[..Math.Max(0, ascending.Length - 3)].Reverse().ToArray();
        }

        SetTimestepValues([.. _prkTimesteps, .. plms], numInferenceSteps);
        _ets.Clear();
        _counter = 0;
        _curModelOutput = null;
        _curSample = null;
    }

    public override SchedulerStepOutput Step(ReadOnlySpan<float> modelOutput, double timestep, ReadOnlySpan<float> sample, DeterministicRandom? generator = null)
    {
        EnsureReady(modelOutput, sample);
        var result = _counter < _prkTimesteps.Length && !Config.SkipPrkSteps
            ? StepPrk(modelOutput, (int)timestep, sample)
            : StepPlms(modelOutput, (int)timestep, sample);
        StepIndex = (StepIndex ?? BeginIndex ?? 0) + 1;
        return new SchedulerStepOutput(result, null);
    }

    private float[] StepPrk(ReadOnlySpan<float> modelOutput, int timestep, ReadOnlySpan<float> sample)
    {
        var diffToPrev = _counter % 2 == 1 ? 0 : Config.NumTrainTimesteps / NumInferenceSteps / 2;
        var prevTimestep = timestep - diffToPrev;
        var t = (int)_prkTimesteps[_counter / 4 * 4];
        float[] output;
        switch (_counter % 4)
        {
            case 0:
                _curModelOutput = LatentMath.Scale(1.0 / 6, modelOutput);
                _ets.Add(modelOutput.ToArray());
                _curSample = sample.ToArray();
                output = modelOutput.ToArray();
                break;
            case 1:
            case 2:
                LatentMath.AddScaled(_curModelOutput!, 1.0 / 3, modelOutput);
                output = modelOutput.ToArray();
                break;
            default:
                output = LatentMath.Combine(1, _curModelOutput!, 1.0 / 6, modelOutput);
                _curModelOutput = null;
                break;
        }

        var prev = PrevSample(_curSample ?? sample.ToArray(), t, prevTimestep, output);
        _counter++;
        return prev;
    }

    private float[] StepPlms(ReadOnlySpan<float> modelOutput, int timestep, ReadOnlySpan<float> sample)
    {
        if (!Config.SkipPrkSteps && _ets.Count < 3)
        {
            throw new InvalidOperationException($"{ApiName} can only be run AFTER scheduler has been run in 'prk' mode for at least 12 iterations.");
        }

        var prevTimestep = timestep - StepRatio;
        if (_counter != 1)
        {
            if (_ets.Count > 3)
            {
                _ets.RemoveRange(0, _ets.Count - 3);
            }

            _ets.Add(modelOutput.ToArray());
        }
        else
        {
            prevTimestep = timestep;
            timestep += StepRatio;
        }

        float[] combined;
        var current = sample.ToArray();
        if (_ets.Count == 1 && _counter == 0)
        {
            combined = modelOutput.ToArray();
            _curSample = sample.ToArray();
        }
        else if (_ets.Count == 1 && _counter == 1)
        {
            combined = LatentMath.Combine(0.5, modelOutput, 0.5, _ets[^1]);
            current = _curSample!;
            _curSample = null;
        }
        else if (_ets.Count == 2)
        {
            combined = LatentMath.Combine(1.5, _ets[^1], -0.5, _ets[^2]);
        }
        else if (_ets.Count == 3)
        {
            combined = LatentMath.Combine(23.0 / 12, _ets[^1], -16.0 / 12, _ets[^2], 5.0 / 12, _ets[^3]);
        }
        else
        {
            combined = LatentMath.Combine(55.0 / 24, _ets[^1], -59.0 / 24, _ets[^2], 37.0 / 24, _ets[^3]);
            LatentMath.AddScaled(combined, -9.0 / 24, _ets[^4]);
        }

        var prev = PrevSample(current, timestep, prevTimestep, combined);
        _counter++;
        return prev;
    }

    // Formula (9) of the PNDM paper: the transfer from t to t_prev given a noise estimate.
    private float[] PrevSample(ReadOnlySpan<float> sample, int timestep, int prevTimestep, ReadOnlySpan<float> modelOutput)
    {
        // the PLMS warm-up's second step looks one ratio ahead (timestep += StepRatio): at 1000 steps that is T itself
        var abarT = AlphasCumprod[Math.Min(timestep, AlphasCumprod.Length - 1)];
        var abarPrev = prevTimestep >= 0 ? AlphasCumprod[prevTimestep] : FinalAlphaCumprod;
        var betaT = 1 - abarT;
        var betaPrev = 1 - abarPrev;
        var eps = Config.PredictionType switch
        {
            "epsilon" => modelOutput.ToArray(),
            "v_prediction" => LatentMath.Combine(Math.Sqrt(abarT), modelOutput, Math.Sqrt(betaT), sample),
            _ => throw new ArgumentException($"{ApiName} supports prediction_type epsilon or v_prediction, not '{Config.PredictionType}'."),
        };
        var sampleCoeff = Math.Sqrt(abarPrev / abarT);
        var denom = (abarT * Math.Sqrt(betaPrev)) + Math.Sqrt(abarT * betaT * abarPrev);
        return LatentMath.Combine(sampleCoeff, sample, -(abarPrev - abarT) / denom, eps);
    }
}
