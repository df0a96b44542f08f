namespace SdApi.Engine.Schedulers;

/// <summary>
/// Karras et al. (2022) stochastic sampler (their Algorithm 2: "churn" noise, then a Heun step), after diffusers'
/// deprecated <c>scheduling_karras_ve.py</c> and its pipeline.
/// <para>
/// diffusers wrote it for variance-exploding models whose network returns a scaled score
/// (pred_x0 = x_hat + sigma_hat * output) on a geometric sigma ladder from sigma_max = 100 to sigma_min = 0.02. For a
/// noise-predicting Stable Diffusion model this engine runs the same algorithm in the model's own sigma space
/// (x = x0 + sigma * eps, as Euler/Heun do): the ladder is geometric from the model's largest to smallest training
/// sigma (about 14.6 to 0.029 for SD), the model sees x / sqrt(sigma^2 + 1) at the timestep of that sigma, and its
/// output is eps (pred_x0 = x - sigma * eps, i.e. diffusers' output is -eps). Churn follows the config:
/// gamma = min(s_churn / N, sqrt(2) - 1) where s_min &lt;= sigma &lt;= s_max, noise scaled by s_noise.
/// </para>
/// <para>
/// Loop shape: two model calls per level (at sigma_hat, then the Heun correction at the next sigma), one at the last
/// level. The churn noise for the next level is added at the end of the previous level's step, and the first level's
/// churn is folded into <see cref="Scheduler.InitNoiseSigma"/> (= sigma_hat of level 0): the same distribution as
/// diffusers' add_noise_to_input, drawn at a different moment. diffusers' <c>schedule</c> holds sigma^2 values that its
/// pipeline uses as sigmas; the ladder here is the sigma ladder those squares come from.
/// </para>
/// </summary>
public sealed class KarrasVeScheduler : SigmaScheduler
{
    private double[] _levels = [];
    private double[] _levelsHat = [];
    private float[]? _sampleHat;
    private float[]? _derivative;

    public KarrasVeScheduler(SchedulerConfig config)
        : base(config)
    {
    }

    public override string ApiName => "KarrasVeScheduler";

    public override int Order => 2;

    public override bool IsStochastic => _levelsHat.Length == 0 || _levels.Zip(_levelsHat).Any(p => p.First != p.Second);

    public override double InitNoiseSigma => _levelsHat.Length == 0 ? TrainingSigmas[^1] : _levelsHat[0];

    /// <summary>The sigma of each level (without churn), largest first.</summary>
    public IReadOnlyList<double> Levels => _levels;

    /// <summary>The churned sigma_hat of each level.</summary>
    public IReadOnlyList<double> LevelsHat => _levelsHat;

    public override void SetTimesteps(int numInferenceSteps)
    {
        ValidateStepCount(numInferenceSteps);
        var n = numInferenceSteps;
        var sigmaMax = TrainingSigmas[^1];
        var sigmaMin = TrainingSigmas[0];
        // One step: diffusers divides 0 by 0 here; a single level at sigma_max is used instead.
        _levels = n == 1 ? [sigmaMax] : Enumerable.Range(0, n).Select(i => sigmaMax * Math.Pow(sigmaMin / sigmaMax, (double)i / (n - 1))).ToArray();
        var gammaMax = Math.Min(Config.SChurn / n, Math.Sqrt(2) - 1);
        _levelsHat = _levels.Select(s => Config.SMin <= s && s <= Config.SMax ? s * (1 + gammaMax) : s).ToArray();

        // Entries: level i first-order call at sigma_hat_i, then (if i < n-1) the correction call at sigma_(i+1).
        var timesteps = new List<double>();
        var sigmas = new List<double>();
        for (var i = 0; i < n; i++)
        {
            timesteps.Add(SigmaToT(_levelsHat[i]));
            sigmas.Add(_levelsHat[i]);
            if (i < n - 1)
            {
                timesteps.Add(SigmaToT(_levels[i + 1]));
                sigmas.Add(_levels[i + 1]);
            }
        }

        sigmas.Add(0);
        SetSchedule([.. timesteps], [.. sigmas], numInferenceSteps);
        _sampleHat = null;
        _derivative = null;
    }

    /// <summary>Several levels can share a (clamped or repeated) timestep, so stepping starts at the first entry.</summary>
    protected override int InitialStepIndex(double timestep) => 0;

    public override SchedulerStepOutput Step(ReadOnlySpan<float> modelOutput, double timestep, ReadOnlySpan<float> sample, DeterministicRandom? generator = null)
    {
        EnsureReady(modelOutput, sample);
        var index = CurrentStepIndex(timestep);
        var level = (index + 1) / 2;
        var firstOrder = index % 2 == 0;
        float[] result;
        float[] x0;
        if (firstOrder)
        {
            var sigmaHat = _levelsHat[level];
            var sigmaPrev = level + 1 < _levels.Length ? _levels[level + 1] : 0.0;
            x0 = PredictOriginal(modelOutput, sample, sigmaHat);
            var derivative = LatentMath.Combine(1 / sigmaHat, sample, -1 / sigmaHat, x0);
            result = LatentMath.Combine(1, sample, sigmaPrev - sigmaHat, derivative);
            if (sigmaPrev > 0)
            {
                _sampleHat = sample.ToArray();
                _derivative = derivative;
            }
        }
        else
        {
            // step_correct: the slope at sigma_prev averaged with the first one, from sample_hat.
            var previousLevel = level - 1;
            var sigmaHat = _levelsHat[previousLevel];
            var sigmaPrev = _levels[level];
            x0 = PredictOriginal(modelOutput, sample, sigmaPrev);
            var correction = LatentMath.Combine(1 / sigmaPrev, sample, -1 / sigmaPrev, x0);
            result = LatentMath.Sum((1, _sampleHat!), ((sigmaPrev - sigmaHat) * 0.5, _derivative!), ((sigmaPrev - sigmaHat) * 0.5, correction));
            _sampleHat = null;
            _derivative = null;

            // Churn for the next level (add_noise_to_input), drawn now so the next model call sees sample_hat.
            var sigmaNextHat = _levelsHat[level];
            var rng = RequireGenerator(generator);
            var noise = rng.NextGaussian(sample.Length);
            LatentMath.AddScaled(result, Config.SNoise * Math.Sqrt((sigmaNextHat * sigmaNextHat) - (sigmaPrev * sigmaPrev)), noise);
        }

        StepIndex = index + 1;
        return new SchedulerStepOutput(result, x0);
    }

    /// <summary>Index 2k is level k's first call; img2img noises the image to that level's sigma_hat.</summary>
    protected override double ModelInputSigma(int index) => Sigmas[index];
}
