namespace SdApi.Engine.Schedulers;

/// <summary>
/// DDIM (Song et al. 2020), after diffusers' <c>scheduling_ddim.py</c>: deterministic for eta = 0 (the SD default);
/// eta &gt; 0 adds noise from the generator. Timesteps are integers; default spacing <c>leading</c>.
/// </summary>
public sealed class DDIMScheduler : Scheduler
{
    public DDIMScheduler(SchedulerConfig config)
        : base(config)
    {
        FinalAlphaCumprod = config.SetAlphaToOne ? 1.0 : AlphasCumprod[0];
    }

    public override string ApiName => "DDIMScheduler";

    public override bool IsStochastic => Config.Eta > 0;

    /// <summary>abar used for the step after the last timestep (1 with set_alpha_to_one, else alphas_cumprod[0]).</summary>
    internal double FinalAlphaCumprod { get; }

    public override void SetTimesteps(int numInferenceSteps)
    {
        ValidateStepCount(numInferenceSteps);
        SetTimestepValues(IntegerTimesteps.Descending(Config, numInferenceSteps, Config.TimestepSpacing ?? "leading"), numInferenceSteps);
    }

    public override SchedulerStepOutput Step(ReadOnlySpan<float> modelOutput, double timestep, ReadOnlySpan<float> sample, DeterministicRandom? generator = null)
    {
        EnsureReady(modelOutput, sample);
        var t = (int)timestep;
        // diffusers steps back by num_train_timesteps // N whatever the spacing.
        var prevT = t - (Config.NumTrainTimesteps / NumInferenceSteps);
        var abarT = AlphasCumprod[t];
        var abarPrev = prevT >= 0 ? AlphasCumprod[prevT] : FinalAlphaCumprod;
        var alpha = Math.Sqrt(abarT);
        var sigma = Math.Sqrt(1 - abarT);

        var x0 = ModelPrediction.ToX0(Config.PredictionType, modelOutput, sample, alpha, sigma);
        var eps = ModelPrediction.ToEpsilon(Config.PredictionType, modelOutput, sample, alpha, sigma);
        if (Config.ClipSample)
        {
            LatentMath.Clip(x0, Config.ClipSampleRange);
        }

        var variance = (1 - abarPrev) / (1 - abarT) * (1 - (abarT / abarPrev));
        var stdDev = Config.Eta * Math.Sqrt(variance);
        var prev = LatentMath.Combine(Math.Sqrt(abarPrev), x0, Math.Sqrt(Math.Max(1 - abarPrev - (stdDev * stdDev), 0)), eps);
        if (Config.Eta > 0)
        {
            var noise = RequireGenerator(generator).NextGaussian(sample.Length);
            LatentMath.AddScaled(prev, stdDev, noise);
        }

        StepIndex = (StepIndex ?? IndexForTimestep(timestep)) + 1;
        return new SchedulerStepOutput(prev, x0);
    }
}
