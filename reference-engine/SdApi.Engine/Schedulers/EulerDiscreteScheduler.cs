namespace SdApi.Engine.Schedulers;

/// <summary>
/// Euler (Karras et al. 2022, Algorithm 2 without churn), after diffusers' <c>scheduling_euler_discrete.py</c>:
/// x_next = x + (sigma_next - sigma) * (x - x0) / sigma. Default spacing <c>linspace</c>; supports Karras sigmas.
/// </summary>
public sealed class EulerDiscreteScheduler : SigmaScheduler
{
    public EulerDiscreteScheduler(SchedulerConfig config)
        : base(config)
    {
    }

    public override string ApiName => "EulerDiscreteScheduler";

    public override void SetTimesteps(int numInferenceSteps)
    {
        ValidateStepCount(numInferenceSteps);
        var (timesteps, sigmas) = BaseSchedule(numInferenceSteps, Config.UseKarrasSigmas ?? false);
        var last = (Config.FinalSigmasType ?? "zero") switch
        {
            "zero" => 0.0,
            "sigma_min" => TrainingSigmas[0],
            var f => throw new ArgumentException($"final_sigmas_type '{f}' is not one of zero, sigma_min."),
        };
        SetSchedule(timesteps, [.. sigmas, last], numInferenceSteps);
    }

    public override SchedulerStepOutput Step(ReadOnlySpan<float> modelOutput, double timestep, ReadOnlySpan<float> sample, DeterministicRandom? generator = null)
    {
        EnsureReady(modelOutput, sample);
        var i = CurrentStepIndex(timestep);
        var sigma = Sigmas[i];
        // s_churn = 0 in the SD pipelines, so sigma_hat = sigma and no noise is drawn.
        var x0 = PredictOriginal(modelOutput, sample, sigma);
        var dt = Sigmas[i + 1] - sigma;
        // x + dt * (x - x0) / sigma
        var prev = LatentMath.Combine(1 + (dt / sigma), sample, -dt / sigma, x0);
        StepIndex = i + 1;
        return new SchedulerStepOutput(prev, x0);
    }
}
