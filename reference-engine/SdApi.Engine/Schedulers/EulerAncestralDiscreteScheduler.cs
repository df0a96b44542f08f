namespace SdApi.Engine.Schedulers;

/// <summary>
/// Euler ancestral, after diffusers' <c>scheduling_euler_ancestral_discrete.py</c>: an Euler step down to
/// sigma_down, then fresh noise of size sigma_up, with sigma_up^2 + sigma_down^2 = sigma_next^2. No Karras option
/// (diffusers has none for this scheduler). Default spacing <c>linspace</c>.
/// </summary>
public sealed class EulerAncestralDiscreteScheduler : SigmaScheduler
{
    public EulerAncestralDiscreteScheduler(SchedulerConfig config)
        : base(config)
    {
    }

    public override string ApiName => "EulerAncestralDiscreteScheduler";

    public override bool IsStochastic => true;

    public override void SetTimesteps(int numInferenceSteps)
    {
        ValidateStepCount(numInferenceSteps);
        var (timesteps, sigmas) = BaseSchedule(numInferenceSteps, karras: false);
        SetSchedule(timesteps, [.. sigmas, 0.0], numInferenceSteps);
    }

    public override SchedulerStepOutput Step(ReadOnlySpan<float> modelOutput, double timestep, ReadOnlySpan<float> sample, DeterministicRandom? generator = null)
    {
        EnsureReady(modelOutput, sample);
        var rng = RequireGenerator(generator);
        var i = CurrentStepIndex(timestep);
        var sigmaFrom = Sigmas[i];
        var sigmaTo = Sigmas[i + 1];
        var x0 = PredictOriginal(modelOutput, sample, sigmaFrom);
        var sigmaUp = Math.Sqrt(sigmaTo * sigmaTo * ((sigmaFrom * sigmaFrom) - (sigmaTo * sigmaTo)) / (sigmaFrom * sigmaFrom));
        var sigmaDown = Math.Sqrt((sigmaTo * sigmaTo) - (sigmaUp * sigmaUp));
        var dt = sigmaDown - sigmaFrom;
        var prev = LatentMath.Combine(1 + (dt / sigmaFrom), sample, -dt / sigmaFrom, x0);
        // diffusers draws the noise on every step, the last one included (where sigma_up is 0).
        var noise = rng.NextGaussian(sample.Length);
        LatentMath.AddScaled(prev, sigmaUp, noise);
        StepIndex = i + 1;
        return new SchedulerStepOutput(prev, x0);
    }
}
