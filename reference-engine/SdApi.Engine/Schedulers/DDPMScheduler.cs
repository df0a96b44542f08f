namespace SdApi.Engine.Schedulers;

/// <summary>
/// DDPM ancestral sampling (Ho et al. 2020), after diffusers' <c>scheduling_ddpm.py</c>: the posterior mean
/// q(x_prev | x_t, x0) plus noise with the configured <c>variance_type</c> (SD: fixed_small). Stochastic; meant
/// for many steps (diffusers' own examples use 1000; the table in the README measures 50).
/// </summary>
public sealed class DDPMScheduler : Scheduler
{
    public DDPMScheduler(SchedulerConfig config)
        : base(config)
    {
    }

    public override string ApiName => "DDPMScheduler";

    public override bool IsStochastic => true;

    public override void SetTimesteps(int numInferenceSteps)
    {
        ValidateStepCount(numInferenceSteps);
        SetTimestepValues(IntegerTimesteps.Descending(Config, numInferenceSteps, Config.TimestepSpacing ?? "leading"), numInferenceSteps);
    }

    public override SchedulerStepOutput Step(ReadOnlySpan<float> modelOutput, double timestep, ReadOnlySpan<float> sample, DeterministicRandom? generator = null)
    {
        EnsureReady(modelOutput, sample);
        var t = (int)timestep;
        var index = IndexForTimestep(timestep);
        // previous_timestep: the next entry of the schedule, -1 after the last.
        var prevT = index == Timesteps.Count - 1 ? -1 : (int)Timesteps[index + 1];
        var abarT = AlphasCumprod[t];
        var abarPrev = prevT >= 0 ? AlphasCumprod[prevT] : 1.0;
        var betaProdT = 1 - abarT;
        var betaProdPrev = 1 - abarPrev;
        var currentAlpha = abarT / abarPrev;
        var currentBeta = 1 - currentAlpha;

        var x0 = ModelPrediction.ToX0(Config.PredictionType, modelOutput, sample, Math.Sqrt(abarT), Math.Sqrt(betaProdT));
        if (Config.ClipSample)
        {
            LatentMath.Clip(x0, Config.ClipSampleRange);
        }

        var x0Coeff = Math.Sqrt(abarPrev) * currentBeta / betaProdT;
        var sampleCoeff = Math.Sqrt(currentAlpha) * betaProdPrev / betaProdT;
        var prev = LatentMath.Combine(x0Coeff, x0, sampleCoeff, sample);
        if (t > 0)
        {
            var noise = RequireGenerator(generator).NextGaussian(sample.Length);
            LatentMath.AddScaled(prev, StandardDeviation(currentBeta, betaProdPrev, betaProdT), noise);
        }

        StepIndex = index + 1;
        return new SchedulerStepOutput(prev, x0);
    }

    private double StandardDeviation(double currentBeta, double betaProdPrev, double betaProdT)
    {
        var variance = Math.Max(betaProdPrev / betaProdT * currentBeta, 1e-20);
        return Config.VarianceType switch
        {
            "fixed_small" => Math.Sqrt(variance),
            // diffusers returns exp(0.5 * log(variance)) and multiplies the noise by it directly.
            "fixed_small_log" => Math.Sqrt(variance),
            "fixed_large" => Math.Sqrt(currentBeta),
            // diffusers returns log(beta) and then takes its square root (a quirk kept for parity).
            "fixed_large_log" => Math.Sqrt(Math.Log(currentBeta)),
            _ => throw new ArgumentException($"variance_type '{Config.VarianceType}' is not supported (fixed_small, fixed_small_log, fixed_large, fixed_large_log)."),
        };
    }
}
