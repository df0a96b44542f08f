namespace SdApi.Engine.Schedulers;

/// <summary>
/// DPM-Solver-2 ancestral (k-diffusion's <c>sample_dpm_2_ancestral</c>), after diffusers'
/// <c>scheduling_k_dpm_2_ancestral_discrete.py</c>: like <see cref="KDPM2DiscreteScheduler"/> but the step goes to
/// sigma_down and adds fresh noise of size sigma_up (sigma_up^2 + sigma_down^2 = sigma_next^2). The midpoint is
/// sqrt(sigma * sigma_down). The last step (to sigma 0) is a plain Euler step without noise.
/// </summary>
public sealed class KDPM2AncestralDiscreteScheduler : SigmaScheduler
{
    private double[] _sigmasInterpol = [];
    private double[] _sigmasUp = [];
    private double[] _sigmasDown = [];
    private float[]? _firstSample;

    public KDPM2AncestralDiscreteScheduler(SchedulerConfig config)
        : base(config)
    {
    }

    public override string ApiName => "KDPM2AncestralDiscreteScheduler";

    public override int Order => 2;

    public override bool IsStochastic => true;

    public override void SetTimesteps(int numInferenceSteps)
    {
        ValidateStepCount(numInferenceSteps);
        var (t, s) = BaseSchedule(numInferenceSteps, Config.UseKarrasSigmas ?? false, roundKarrasTimesteps: true);
        double[] sigmas = [.. s, 0.0];
        var n1 = sigmas.Length;
        var up = new double[n1];
        var down = new double[n1];
        var interpol = new double[n1];
        for (var k = 0; k < n1; k++)
        {
            var next = k + 1 < n1 ? sigmas[k + 1] : 0.0;
            var sk = sigmas[k];
            // At the final sigma (0) diffusers computes 0/0 = NaN here; that entry is never used.
            up[k] = sk == 0 ? 0 : Math.Sqrt(next * next * ((sk * sk) - (next * next)) / (sk * sk));
            down[k] = k == n1 - 1 ? 0 : Math.Sqrt((next * next) - (up[k] * up[k]));
            interpol[k] = Math.Sqrt(sk * down[k]);
        }

        interpol[n1 - 1] = 0;
        interpol[n1 - 2] = 0;
        _sigmasInterpol = KDPM2DiscreteScheduler.Interleave(interpol);
        _sigmasUp = KDPM2DiscreteScheduler.Interleave(up);
        _sigmasDown = KDPM2DiscreteScheduler.Interleave(down);
        var timestepsInterpol = interpol.Select(SigmaToT).ToArray();
        var full = new List<double> { t[0] };
        for (var k = 1; k < t.Length; k++)
        {
            full.Add(timestepsInterpol[k - 1]);
            full.Add(t[k]);
        }

        SetSchedule([.. full], KDPM2DiscreteScheduler.Interleave(sigmas), numInferenceSteps);
        _firstSample = null;
    }

    protected override double ModelInputSigma(int index) => _firstSample is null ? Sigmas[index] : _sigmasInterpol[index - 1];

    public override SchedulerStepOutput Step(ReadOnlySpan<float> modelOutput, double timestep, ReadOnlySpan<float> sample, DeterministicRandom? generator = null)
    {
        EnsureReady(modelOutput, sample);
        var i = CurrentStepIndex(timestep);
        var firstOrder = _firstSample is null;
        double sigma, sigmaInterpol, sigmaUp, sigmaDown;
        if (firstOrder)
        {
            sigma = Sigmas[i];
            sigmaInterpol = _sigmasInterpol[i];
            sigmaUp = _sigmasUp[i];
            sigmaDown = i == 0 ? _sigmasDown[^1] : _sigmasDown[i - 1];
        }
        else
        {
            sigma = Sigmas[i - 1];
            sigmaInterpol = _sigmasInterpol[i - 1];
            sigmaUp = _sigmasUp[i - 1];
            sigmaDown = _sigmasDown[i - 1];
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
            prev = LatentMath.Combine(1, _firstSample!, sigmaDown - sigma, derivative);
            _firstSample = null;
            var noise = RequireGenerator(generator).NextGaussian(sample.Length);
            LatentMath.AddScaled(prev, sigmaUp, noise);
        }

        StepIndex = i + 1;
        return new SchedulerStepOutput(prev, x0);
    }
}
