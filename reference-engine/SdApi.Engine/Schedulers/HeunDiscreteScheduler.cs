namespace SdApi.Engine.Schedulers;

/// <summary>
/// Heun's 2nd-order method (Karras et al. 2022, Algorithm 1), after diffusers' <c>scheduling_heun_discrete.py</c>.
/// Two model calls per step: <see cref="Scheduler.Timesteps"/> is <c>[t0, t1, t1, t2, t2, ..., t(N-1), t(N-1)]</c>;
/// the first call of a pair takes an Euler step to the next sigma, the second averages the two slopes. The last
/// step (to sigma 0) is a plain Euler step. Default spacing <c>linspace</c>; supports Karras sigmas.
/// </summary>
public sealed class HeunDiscreteScheduler : SigmaScheduler
{
    private float[]? _prevDerivative;
    private float[]? _firstSample;
    private double _dt;

    public HeunDiscreteScheduler(SchedulerConfig config)
        : base(config)
    {
    }

    public override string ApiName => "HeunDiscreteScheduler";

    public override int Order => 2;

    public override void SetTimesteps(int numInferenceSteps)
    {
        ValidateStepCount(numInferenceSteps);
        var (t, s) = BaseSchedule(numInferenceSteps, Config.UseKarrasSigmas ?? false);
        double[] sigmas = [.. s, 0.0];
        // sigmas = [s0, s1, s1, ..., s(N-1), s(N-1), 0]; timesteps = [t0, t1, t1, ..., t(N-1), t(N-1)]
        var fullSigmas = new List<double> { sigmas[0] };
        for (var k = 1; k < sigmas.Length - 1; k++)
        {
            fullSigmas.Add(sigmas[k]);
            fullSigmas.Add(sigmas[k]);
        }

        fullSigmas.Add(sigmas[^1]);
        var fullTimesteps = new List<double> { t[0] };
        for (var k = 1; k < t.Length; k++)
        {
            fullTimesteps.Add(t[k]);
            fullTimesteps.Add(t[k]);
        }

        SetSchedule([.. fullTimesteps], [.. fullSigmas], numInferenceSteps);
        _prevDerivative = null;
        _firstSample = null;
    }

    public override SchedulerStepOutput Step(ReadOnlySpan<float> modelOutput, double timestep, ReadOnlySpan<float> sample, DeterministicRandom? generator = null)
    {
        EnsureReady(modelOutput, sample);
        var i = CurrentStepIndex(timestep);
        var firstOrder = _prevDerivative is null;
        double sigma, sigmaNext;
        if (firstOrder)
        {
            sigma = Sigmas[i];
            sigmaNext = Sigmas[i + 1];
        }
        else
        {
            sigma = Sigmas[i - 1];
            sigmaNext = Sigmas[i];
        }

        var x0 = PredictOriginal(modelOutput, sample, firstOrder ? sigma : sigmaNext);
        if (Config.ClipSample)
        {
            LatentMath.Clip(x0, Config.ClipSampleRange);
        }

        float[] prev;
        if (firstOrder)
        {
            var derivative = LatentMath.Combine(1 / sigma, sample, -1 / sigma, x0);
            _dt = sigmaNext - sigma;
            _prevDerivative = derivative;
            _firstSample = sample.ToArray();
            prev = LatentMath.Combine(1, sample, _dt, derivative);
        }
        else
        {
            var derivative = LatentMath.Combine(1 / sigmaNext, sample, -1 / sigmaNext, x0);
            var average = LatentMath.Combine(0.5, _prevDerivative!, 0.5, derivative);
            prev = LatentMath.Combine(1, _firstSample!, _dt, average);
            _prevDerivative = null;
            _firstSample = null;
        }

        StepIndex = i + 1;
        return new SchedulerStepOutput(prev, x0);
    }
}
