namespace SdApi.Engine.Schedulers;

/// <summary>
/// Score-SDE predictor-corrector sampling for variance-exploding SDEs (Song et al. 2021), after diffusers'
/// <c>scheduling_sde_ve.py</c> and its pipeline: per noise level, <c>correct_steps</c> Langevin corrector steps
/// (step size 2 * (snr * |z| / |score|)^2) then one reverse-diffusion predictor step
/// (x_mean = x + (sigma^2 - sigma_next^2) * score, x = x_mean + sqrt(sigma^2 - sigma_next^2) * z); the result is the
/// last predictor's x_mean.
/// <para>
/// diffusers wrote it for VE models that output the score on a geometric ladder from sigma_max = 1348 to
/// sigma_min = 0.01. For a noise-predicting Stable Diffusion model this engine works in the model's sigma space
/// (x = x0 + sigma * eps): the ladder is geometric from the model's largest to smallest training sigma
/// (about 14.6 to 0.029 for SD), the model sees x / sqrt(sigma^2 + 1) at that sigma's timestep, and its output is
/// turned into the score of the noised data, score = (x0_pred - x) / sigma^2 = -eps / sigma.
/// </para>
/// <para>
/// Loop shape: <c>correct_steps + 1</c> model calls per level, all at the level's timestep. The norms in the
/// corrector are taken per image and averaged, as diffusers does; set <see cref="BatchSize"/> when the latent holds
/// several images.
/// </para>
/// </summary>
public sealed class ScoreSdeVeScheduler : SigmaScheduler
{
    private double[] _levels = [];

    public ScoreSdeVeScheduler(SchedulerConfig config)
        : base(config)
    {
        if (config.CorrectSteps < 0)
        {
            throw new ArgumentException($"{ApiName}: correct_steps must be 0 or more (got {config.CorrectSteps}).");
        }
    }

    public override string ApiName => "ScoreSdeVeScheduler";

    public override int Order => Config.CorrectSteps + 1;

    public override bool IsStochastic => true;

    public override double InitNoiseSigma => TrainingSigmas[^1];

    /// <summary>Images in the flat latent (for the corrector's per-image norms).</summary>
    public int BatchSize { get; set; } = 1;

    /// <summary>The sigma of each level, largest first.</summary>
    public IReadOnlyList<double> Levels => _levels;

    public override void SetTimesteps(int numInferenceSteps)
    {
        ValidateStepCount(numInferenceSteps);
        var n = numInferenceSteps;
        var sigmaMax = TrainingSigmas[^1];
        var sigmaMin = TrainingSigmas[0];
        // discrete_sigmas = exp(linspace(log sigma_min, log sigma_max, N)), walked from the top. For one step
        // diffusers would take sigma_min only (starting from sigma_max noise); a single level at sigma_max is used.
        _levels = n == 1 ? [sigmaMax] : NoiseSchedule.Linspace(Math.Log(sigmaMin), Math.Log(sigmaMax), n).Select(Math.Exp).Reverse().ToArray();
        var perLevel = Order;
        var timesteps = _levels.SelectMany(s => Enumerable.Repeat(SigmaToT(s), perLevel)).ToArray();
        double[] sigmas = [.. _levels.SelectMany(s => Enumerable.Repeat(s, perLevel)), 0.0];
        SetSchedule(timesteps, sigmas, numInferenceSteps);
    }

    /// <summary>Several levels can share a (clamped or repeated) timestep, so stepping starts at the first entry.</summary>
    protected override int InitialStepIndex(double timestep) => 0;

    public override SchedulerStepOutput Step(ReadOnlySpan<float> modelOutput, double timestep, ReadOnlySpan<float> sample, DeterministicRandom? generator = null)
    {
        EnsureReady(modelOutput, sample);
        var rng = RequireGenerator(generator);
        var index = CurrentStepIndex(timestep);
        var level = index / Order;
        var sigma = _levels[level];
        var x0 = PredictOriginal(modelOutput, sample, sigma);
        // score of N(x0, sigma^2): (x0 - x) / sigma^2
        var score = LatentMath.Combine(1 / (sigma * sigma), x0, -1 / (sigma * sigma), sample);
        var noise = rng.NextGaussian(sample.Length);
        float[] result;
        if (index % Order < Config.CorrectSteps)
        {
            var gradNorm = MeanNorm(score);
            var noiseNorm = MeanNorm(noise);
            var stepSize = gradNorm == 0 ? 0 : 2 * Math.Pow(Config.Snr * noiseNorm / gradNorm, 2);
            result = LatentMath.Sum((1, sample.ToArray()), (stepSize, score), (Math.Sqrt(stepSize * 2), noise));
        }
        else
        {
            var adjacent = level + 1 < _levels.Length ? _levels[level + 1] : 0.0;
            var diffusion2 = (sigma * sigma) - (adjacent * adjacent);
            var mean = LatentMath.Combine(1, sample, diffusion2, score);
            // The pipeline returns the last predictor's mean (no noise after the final level).
            result = level == _levels.Length - 1 ? mean : LatentMath.Combine(1, mean, Math.Sqrt(diffusion2), noise);
        }

        StepIndex = index + 1;
        return new SchedulerStepOutput(result, x0);
    }

    private double MeanNorm(float[] values)
    {
        var per = values.Length / BatchSize;
        var total = 0.0;
        for (var b = 0; b < BatchSize; b++)
        {
            total += System.Numerics.Tensors.TensorPrimitives.Norm(values.AsSpan(b * per, per));
        }

        return total / BatchSize;
    }
}
