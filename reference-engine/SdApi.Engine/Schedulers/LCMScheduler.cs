namespace SdApi.Engine.Schedulers;

/// <summary>
/// Latent consistency model sampling (Luo et al. 2023), after diffusers' <c>scheduling_lcm.py</c>: each step makes a
/// consistency-function estimate of x0 (c_skip * x + c_out * x0_pred) and, except at the last step, re-noises it to
/// the next timestep with fresh noise. Timesteps are a subset of the <c>original_inference_steps</c> (50) grid
/// 999, 979, ..., 19; at most 50 steps. Meant for LCM-distilled models (4-8 steps).
/// </summary>
public sealed class LCMScheduler : Scheduler
{
    private const double SigmaData = 0.5;

    public LCMScheduler(SchedulerConfig config)
        : base(config)
    {
        FinalAlphaCumprod = config.SetAlphaToOne ? 1.0 : AlphasCumprod[0];
    }

    public override string ApiName => "LCMScheduler";

    public override bool IsStochastic => true;

    private double FinalAlphaCumprod { get; }

    public override void SetTimesteps(int numInferenceSteps)
    {
        var originalSteps = Config.OriginalInferenceSteps;
        if (numInferenceSteps < 1 || numInferenceSteps > originalSteps)
        {
            throw new ArgumentOutOfRangeException(nameof(numInferenceSteps), numInferenceSteps,
                $"{ApiName}: the number of inference steps must be between 1 and original_inference_steps ({originalSteps}).");
        }

        var k = Config.NumTrainTimesteps / originalSteps;
        // lcm_origin_timesteps = arange(1, original_steps + 1) * k - 1, reversed
        var origin = Enumerable.Range(1, originalSteps).Select(v => (double)((v * k) - 1)).Reverse().ToArray();
        // floor(linspace(0, len, num, endpoint=False))
        var timesteps = Enumerable.Range(0, numInferenceSteps)
            .Select(i => origin[(int)Math.Floor(i * (double)origin.Length / numInferenceSteps)])
            .ToArray();
        SetTimestepValues(timesteps, numInferenceSteps);
    }

    public override SchedulerStepOutput Step(ReadOnlySpan<float> modelOutput, double timestep, ReadOnlySpan<float> sample, DeterministicRandom? generator = null)
    {
        EnsureReady(modelOutput, sample);
        var i = CurrentStepIndex(timestep);
        var t = (int)timestep;
        var prevT = i + 1 < Timesteps.Count ? (int)Timesteps[i + 1] : t;
        var abarT = AlphasCumprod[t];
        var abarPrev = prevT >= 0 ? AlphasCumprod[prevT] : FinalAlphaCumprod;

        var scaled = t * Config.TimestepScaling;
        var cSkip = SigmaData * SigmaData / ((scaled * scaled) + (SigmaData * SigmaData));
        var cOut = scaled / Math.Sqrt((scaled * scaled) + (SigmaData * SigmaData));

        var x0 = ModelPrediction.ToX0(Config.PredictionType, modelOutput, sample, Math.Sqrt(abarT), Math.Sqrt(1 - abarT));
        if (Config.ClipSample)
        {
            LatentMath.Clip(x0, Config.ClipSampleRange);
        }

        var denoised = LatentMath.Combine(cOut, x0, cSkip, sample);
        float[] prev;
        if (i != NumInferenceSteps - 1)
        {
            var noise = RequireGenerator(generator).NextGaussian(sample.Length);
            prev = LatentMath.Combine(Math.Sqrt(abarPrev), denoised, Math.Sqrt(1 - abarPrev), noise);
        }
        else
        {
            prev = denoised;
        }

        StepIndex = i + 1;
        return new SchedulerStepOutput(prev, denoised);
    }
}
