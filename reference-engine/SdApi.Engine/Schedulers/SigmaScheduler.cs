namespace SdApi.Engine.Schedulers;

/// <summary>
/// Shared base of the k-diffusion style schedulers (LMS, Euler, Euler ancestral, Heun, KDPM2, KDPM2 ancestral and
/// this engine's KarrasVe / ScoreSdeVe): the latent lives in sigma space x = x0 + sigma * eps, the model sees
/// x / sqrt(sigma^2 + 1), and text2img noise is scaled by <see cref="InitNoiseSigma"/>.
/// </summary>
public abstract class SigmaScheduler : Scheduler
{
    private double[] _sigmas = [];

    protected SigmaScheduler(SchedulerConfig config)
        : base(config)
    {
        if (config.RescaleBetasZeroSnr)
        {
            // diffusers: a zero terminal SNR would make the last sigma infinite; it uses 2^-24 instead.
            AlphasCumprod[^1] = Math.Pow(2, -24);
        }

        TrainingSigmas = NoiseSchedule.TrainingSigmas(AlphasCumprod);
        LogTrainingSigmas = TrainingSigmas.Select(s => Math.Log(s)).ToArray();
    }

    /// <summary>The sigma array indexed like diffusers' <c>self.sigmas</c> (entries per timestep entry, plus the final one).</summary>
    public IReadOnlyList<double> Sigmas => _sigmas;

    /// <summary>The spacing in force: the config's, or this scheduler's diffusers default (<c>linspace</c>).</summary>
    protected virtual string Spacing => Config.TimestepSpacing ?? "linspace";

    /// <summary>diffusers: max sigma for linspace/trailing spacing, sqrt(max^2 + 1) for leading.</summary>
    public override double InitNoiseSigma
    {
        get
        {
            var max = _sigmas.Length == 0 ? TrainingSigmas.Max() : _sigmas.Max();
            return Spacing is "linspace" or "trailing" ? max : Math.Sqrt((max * max) + 1);
        }
    }

    /// <summary>sqrt((1 - abar) / abar) for each training timestep (ascending).</summary>
    protected double[] TrainingSigmas { get; }

    /// <summary>log of <see cref="TrainingSigmas"/>.</summary>
    protected double[] LogTrainingSigmas { get; }

    public override float[] ScaleModelInput(ReadOnlySpan<float> sample, double timestep)
    {
        var sigma = ModelInputSigma(CurrentStepIndex(timestep));
        return LatentMath.Scale(1 / Math.Sqrt((sigma * sigma) + 1), sample);
    }

    public override void ScaleModelInput(ReadOnlySpan<float> sample, double timestep, Span<float> destination)
    {
        var sigma = ModelInputSigma(CurrentStepIndex(timestep));
        System.Numerics.Tensors.TensorPrimitives.Multiply(sample, (float)(1 / Math.Sqrt((sigma * sigma) + 1)), destination);
    }

    /// <summary>diffusers' sigma-space add_noise: x0 + sigma * noise at the begin index (img2img) or the timestep's index.</summary>
    public override float[] AddNoise(ReadOnlySpan<float> originalSamples, ReadOnlySpan<float> noise, double timestep)
    {
        var index = BeginIndex is null ? IndexForTimestep(timestep) : StepIndex ?? BeginIndex.Value;
        return LatentMath.Combine(1, originalSamples, _sigmas[index], noise);
    }

    /// <summary>The sigma the model input is scaled with at timestep entry <paramref name="index"/>.</summary>
    protected virtual double ModelInputSigma(int index) => _sigmas[index];

    /// <summary>Stores diffusers' <c>sigmas</c> and <c>timesteps</c>.</summary>
    protected void SetSchedule(double[] timesteps, double[] sigmas, int numInferenceSteps)
    {
        // diffusers hands the model float32 timesteps.
        SetTimestepValues(timesteps.Select(t => (double)(float)t).ToArray(), numInferenceSteps);
        _sigmas = sigmas;
    }

    /// <summary>
    /// The inference timesteps and their sigmas (without the final 0) as diffusers' sigma schedulers compute them:
    /// float timesteps by spacing, sigmas by np.interp over the training sigmas, then optionally Karras sigmas
    /// (from the chosen sigmas' max/min) with timesteps mapped back by <c>_sigma_to_t</c>.
    /// </summary>
    protected (double[] Timesteps, double[] Sigmas) BaseSchedule(int n, bool karras, bool roundKarrasTimesteps = false)
    {
        var timesteps = FloatTimesteps(n, Spacing);
        var index = Enumerable.Range(0, TrainingSigmas.Length).Select(i => (double)i).ToArray();
        var sigmas = timesteps.Select(t => NoiseSchedule.Interp(t, index, TrainingSigmas)).ToArray();
        if (karras)
        {
            sigmas = NoiseSchedule.KarrasSigmas(sigmas[^1], sigmas[0], n);
            timesteps = sigmas.Select(s => NoiseSchedule.SigmaToT(s, LogTrainingSigmas)).ToArray();
            if (roundKarrasTimesteps)
            {
                timesteps = timesteps.Select(IntegerTimesteps.RoundHalfEven).ToArray();
            }
        }

        return (timesteps, sigmas);
    }

    /// <summary>The float timestep grids of the sigma schedulers (descending).</summary>
    protected double[] FloatTimesteps(int n, string spacing)
    {
        var T = Config.NumTrainTimesteps;
        return spacing switch
        {
            // float32 linspace in diffusers; the values are rounded to float here too so they compare equal to what
            // a float32 pipeline would pass.
            "linspace" => NoiseSchedule.Linspace(0, T - 1, n).Select(v => (double)(float)v).Reverse().ToArray(),
            "leading" => Enumerable.Range(0, n).Select(i => (double)((i * (T / n)) + Config.StepsOffset)).Reverse().ToArray(),
            "trailing" => IntegerTimesteps.ArangeDown(T, 0, (double)T / n).Select(v => IntegerTimesteps.RoundHalfEven(v) - 1).ToArray(),
            _ => throw IntegerTimesteps.UnknownSpacing(spacing),
        };
    }

    /// <summary>x0 from the model output at noise level <paramref name="sigma"/> (diffusers' sigma-space conversions).</summary>
    protected float[] PredictOriginal(ReadOnlySpan<float> modelOutput, ReadOnlySpan<float> sample, double sigma) =>
        Config.PredictionType switch
        {
            "epsilon" => LatentMath.Combine(1, sample, -sigma, modelOutput),
            "v_prediction" => LatentMath.Combine(1 / ((sigma * sigma) + 1), sample, -sigma / Math.Sqrt((sigma * sigma) + 1), modelOutput),
            "sample" => modelOutput.ToArray(),
            _ => throw ModelPrediction.Unknown(Config.PredictionType),
        };

    /// <summary>The training timestep (fractional) of a sigma.</summary>
    protected double SigmaToT(double sigma) => NoiseSchedule.SigmaToT(sigma, LogTrainingSigmas);
}
