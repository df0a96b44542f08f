namespace SdApi.Engine.Schedulers;

/// <summary>
/// DPM-Solver-2 in k-diffusion's form (<c>sample_dpm_2</c>), after diffusers' <c>scheduling_k_dpm_2_discrete.py</c>.
/// Two model calls per step: at sigma, then at the geometric midpoint sqrt(sigma * sigma_next), whose slope takes
/// the full step. <see cref="Scheduler.Timesteps"/> is <c>[t0, tm1, t1, tm2, t2, ...]</c>; the last step (to sigma 0)
/// is a plain Euler step. Default spacing <c>linspace</c>; supports Karras sigmas (timesteps rounded, as diffusers does).
/// </summary>
public sealed class KDPM2DiscreteScheduler : SigmaScheduler
{
    private double[] _sigmasInterpol = [];
    private float[]? _firstSample;

    public KDPM2DiscreteScheduler(SchedulerConfig config)
        : base(config)
    {
    }

    public override string ApiName => "KDPM2DiscreteScheduler";

    public override int Order => 2;

    public override void SetTimesteps(int numInferenceSteps)
    {
        ValidateStepCount(numInferenceSteps);
        var (t, s) = BaseSchedule(numInferenceSteps, Config.UseKarrasSigmas ?? false, roundKarrasTimesteps: true);
        double[] sigmas = [.. s, 0.0];
        var n1 = sigmas.Length; // N + 1
        // sigmas.log().lerp(sigmas.roll(1).log(), 0.5).exp(): the geometric mean with the previous sigma (0 at both ends).
        var interpol = new double[n1];
        for (var k = 0; k < n1; k++)
        {
            var previous = sigmas[(k - 1 + n1) % n1];
            interpol[k] = Math.Sqrt(sigmas[k] * previous);
        }

        _sigmasInterpol = Interleave(interpol);
        var timestepsInterpol = interpol.Select(SigmaToT).ToArray();
        var full = new List<double> { t[0] };
        for (var k = 1; k < t.Length; k++)
        {
            full.Add(timestepsInterpol[k]);
            full.Add(t[k]);
        }

        SetSchedule([.. full], Interleave(sigmas), numInferenceSteps);
        _firstSample = null;
    }

    protected override double ModelInputSigma(int index) => _firstSample is null ? Sigmas[index] : _sigmasInterpol[index];

    public override SchedulerStepOutput Step(ReadOnlySpan<float> modelOutput, double timestep, ReadOnlySpan<float> sample, DeterministicRandom? generator = null)
    {
        EnsureReady(modelOutput, sample);
        var i = CurrentStepIndex(timestep);
        var firstOrder = _firstSample is null;
        double sigma, sigmaInterpol, sigmaNext;
        if (firstOrder)
        {
            sigma = Sigmas[i];
            sigmaInterpol = _sigmasInterpol[i + 1];
            sigmaNext = Sigmas[i + 1];
        }
        else
        {
            sigma = Sigmas[i - 1];
            sigmaInterpol = _sigmasInterpol[i];
            sigmaNext = Sigmas[i];
        }

        var sigmaInput = firstOrder ? sigma : sigmaInterpol;
        var x0 = PredictOriginal(modelOutput, sample, sigmaInput);
        var derivative = LatentMath.Combine(1 / sigmaInput, sample, -1 / sigmaInput, x0);
        float[] prev;
        if (firstOrder)
        {
            _firstSample = sample.ToArray();
            prev = LatentMath.Combine(1, sample, sigmaInterpol - sigma, derivative);
        }
        else
        {
            prev = LatentMath.Combine(1, _firstSample!, sigmaNext - sigma, derivative);
            _firstSample = null;
        }

        StepIndex = i + 1;
        return new SchedulerStepOutput(prev, x0);
    }

    /// <summary>torch.cat([x[:1], x[1:].repeat_interleave(2), x[-1:]]).</summary>
    internal static double[] Interleave(double[] x)
    {
        var result = new List<double> { x[0] };
        for (var k = 1; k < x.Length; k++)
        {
            result.Add(x[k]);
            result.Add(x[k]);
        }

        result.Add(x[^1]);
        return [.. result];
    }
}
