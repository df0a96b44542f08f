namespace SdApi.Engine.Schedulers;

/// <summary>
/// DDIM inversion, after diffusers' <c>scheduling_ddim_inverse.py</c>: DDIM run backwards, from a clean image latent
/// (at the level alphas_cumprod[0], or 1 with <c>set_alpha_to_one</c>) up to noise. Timesteps ascend
/// (<c>leading</c>: 1, 51, ..., 951 for 20 steps); the step at timestep t moves the sample from the level of
/// t - T/N to the level of t, using the model's noise prediction at t.
/// <para>
/// For a noise-predicting Stable Diffusion model this means "encode an image into the DDIM noise that regenerates
/// it": running <see cref="CreateForwardPartner"/> (DDIM, same config and step count) on the result with the same
/// model output returns the start latent. It does not turn noise into an image; see the README for how the
/// pipeline uses it for the API's <c>scheduler</c> value.
/// </para>
/// </summary>
public sealed class DDIMInverseScheduler : Scheduler
{
    public DDIMInverseScheduler(SchedulerConfig config)
        : base(config)
    {
        InitialAlphaCumprod = config.SetAlphaToOne ? 1.0 : AlphasCumprod[0];
    }

    public override string ApiName => "DDIMInverseScheduler";

    /// <summary>abar of the start (clean) level.</summary>
    internal double InitialAlphaCumprod { get; }

    public override void SetTimesteps(int numInferenceSteps)
    {
        ValidateStepCount(numInferenceSteps);
        var T = Config.NumTrainTimesteps;
        var spacing = Config.TimestepSpacing ?? "leading";
        double[] timesteps = spacing switch
        {
            "leading" => Enumerable.Range(0, numInferenceSteps).Select(i => (double)((i * (T / numInferenceSteps)) + Config.StepsOffset)).ToArray(),
            "trailing" => IntegerTimesteps.ArangeDown(T, 0, (double)T / numInferenceSteps).Reverse().Select(v => IntegerTimesteps.RoundHalfEven(v) - 1).ToArray(),
            _ => throw new ArgumentException($"{ApiName}: timestep_spacing '{spacing}' is not supported (leading or trailing, as in diffusers)."),
        };
        SetTimestepValues(timesteps, numInferenceSteps);
    }

    /// <summary>The forward sampler that undoes this inversion: DDIM with the same configuration (call SetTimesteps with the same count).</summary>
    public DDIMScheduler CreateForwardPartner() => new(Config);

    public override SchedulerStepOutput Step(ReadOnlySpan<float> modelOutput, double timestep, ReadOnlySpan<float> sample, DeterministicRandom? generator = null)
    {
        EnsureReady(modelOutput, sample);
        var target = (int)timestep;
        var current = Math.Min(target - (Config.NumTrainTimesteps / NumInferenceSteps), Config.NumTrainTimesteps - 1);
        var abarCurrent = current >= 0 ? AlphasCumprod[current] : InitialAlphaCumprod;
        var abarTarget = AlphasCumprod[target];
        var alpha = Math.Sqrt(abarCurrent);
        var sigma = Math.Sqrt(1 - abarCurrent);

        var x0 = ModelPrediction.ToX0(Config.PredictionType, modelOutput, sample, alpha, sigma);
        var eps = ModelPrediction.ToEpsilon(Config.PredictionType, modelOutput, sample, alpha, sigma);
        if (Config.ClipSample)
        {
            LatentMath.Clip(x0, Config.ClipSampleRange);
        }

        var next = LatentMath.Combine(Math.Sqrt(abarTarget), x0, Math.Sqrt(1 - abarTarget), eps);
        StepIndex = (StepIndex ?? IndexForTimestep(timestep)) + 1;
        return new SchedulerStepOutput(next, x0);
    }
}
