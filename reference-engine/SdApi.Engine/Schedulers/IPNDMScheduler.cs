namespace SdApi.Engine.Schedulers;

/// <summary>
/// Improved pseudo numerical methods (iPNDM, Zhang and Chen 2022), after diffusers' <c>scheduling_ipndm.py</c>:
/// 4th-order Adams-Bashforth on the noise estimate, warmed up with orders 1-3 (no Runge-Kutta steps), each step a
/// DDIM-style transfer x_next = alpha_next * (x - sigma * e) / alpha + sigma_next * e.
/// <para>
/// diffusers' class is written for continuous-time v-prediction models on a cosine "angle" schedule (it turns the
/// output into a noise estimate with e = sigma * x + alpha * v and samples angles in [0, 1]). For a noise-predicting
/// Stable Diffusion model this engine keeps the method and replaces the schedule by the model's own: timesteps are
/// the DDIM grid (<c>timestep_spacing</c>, default leading), alpha = sqrt(abar_t), sigma = sqrt(1 - abar_t), the
/// model output is used as e directly (v_prediction is converted with the same e = sigma * x + alpha * v), and the
/// last step lands on alpha = 1, sigma = 0 (the clean sample), as diffusers' angle 0 does.
/// </para>
/// </summary>
public sealed class IPNDMScheduler : Scheduler
{
    private readonly List<float[]> _ets = [];

    public IPNDMScheduler(SchedulerConfig config)
        : base(config)
    {
    }

    public override string ApiName => "IPNDMScheduler";

    public override void SetTimesteps(int numInferenceSteps)
    {
        ValidateStepCount(numInferenceSteps);
        SetTimestepValues(IntegerTimesteps.Descending(Config, numInferenceSteps, Config.TimestepSpacing ?? "leading"), numInferenceSteps);
        _ets.Clear();
    }

    public override SchedulerStepOutput Step(ReadOnlySpan<float> modelOutput, double timestep, ReadOnlySpan<float> sample, DeterministicRandom? generator = null)
    {
        EnsureReady(modelOutput, sample);
        var i = CurrentStepIndex(timestep);
        var (alpha, sigma) = Level(i);
        var (nextAlpha, nextSigma) = Level(i + 1);

        _ets.Add(ModelPrediction.ToEpsilon(Config.PredictionType, modelOutput, sample, alpha, sigma));
        if (_ets.Count > 4)
        {
            _ets.RemoveAt(0);
        }

        var e = _ets.Count switch
        {
            1 => _ets[^1],
            2 => LatentMath.Combine(1.5, _ets[^1], -0.5, _ets[^2]),
            3 => LatentMath.Combine(23.0 / 12, _ets[^1], -16.0 / 12, _ets[^2], 5.0 / 12, _ets[^3]),
            _ => LatentMath.Sum((55.0 / 24, _ets[^1]), (-59.0 / 24, _ets[^2]), (37.0 / 24, _ets[^3]), (-9.0 / 24, _ets[^4])),
        };

        var pred = LatentMath.Combine(1 / Math.Max(alpha, 1e-8), sample, -sigma / Math.Max(alpha, 1e-8), e);
        var prev = LatentMath.Combine(nextAlpha, pred, nextSigma, e);
        StepIndex = i + 1;
        return new SchedulerStepOutput(prev, pred);
    }

    // (alpha, sigma) at timestep entry i; one past the last entry is the clean level (1, 0).
    private (double Alpha, double Sigma) Level(int i)
    {
        if (i >= Timesteps.Count)
        {
            return (1, 0);
        }

        var abar = AlphasCumprod[(int)Timesteps[i]];
        return (Math.Sqrt(abar), Math.Sqrt(1 - abar));
    }
}
