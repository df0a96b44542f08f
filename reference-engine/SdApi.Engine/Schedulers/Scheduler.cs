namespace SdApi.Engine.Schedulers;

/// <summary>
/// The shared base of the 18 schedulers, after diffusers' <c>SchedulerMixin</c>. The denoising loop is:
/// <code>
/// scheduler.SetTimesteps(steps);
/// latents = noise * scheduler.InitNoiseSigma;                       // text2img
/// foreach (var t in scheduler.Timesteps)                            // one entry = one model call
/// {
///     var input = scheduler.ScaleModelInput(latents, t);
///     var eps = unet(input, t);                                      // after classifier-free guidance
///     latents = scheduler.Step(eps, t, latents, generator).PrevSample;
/// }
/// </code>
/// Latents are flat float arrays (NCHW); every operation is element-wise, so the shape only matters for the
/// order in which noise is drawn (flat index order).
/// </summary>
public abstract class Scheduler
{
    private double[] _timesteps = [];

    protected Scheduler(SchedulerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        Betas = NoiseSchedule.Betas(config);
        AlphasCumprod = NoiseSchedule.AlphasCumprod(Betas);
    }

    /// <summary>The configuration this scheduler was built from.</summary>
    public SchedulerConfig Config { get; }

    /// <summary>The name the Stable Diffusion API uses for this scheduler (e.g. <c>EulerDiscreteScheduler</c>).</summary>
    public abstract string ApiName { get; }

    /// <summary>
    /// The timestep to pass to the model for each model evaluation, in order. Multi-evaluation schedulers
    /// (Heun, KDPM2, ...) list a timestep once per evaluation, so the loop is always one model call per entry.
    /// Values may be fractional (sigma-based schedulers interpolate); round or cast as the model input requires.
    /// </summary>
    public IReadOnlyList<double> Timesteps => _timesteps;

    /// <summary>The number of inference steps last passed to <see cref="SetTimesteps"/>.</summary>
    public int NumInferenceSteps { get; protected set; }

    /// <summary>Model evaluations per inference step (diffusers' <c>order</c>; img2img skips <c>t_start * Order</c> entries).</summary>
    public virtual int Order => 1;

    /// <summary>The standard deviation of the initial noise: text2img latents are <c>N(0,1) * InitNoiseSigma</c>.</summary>
    public virtual double InitNoiseSigma => 1.0;

    /// <summary>True when <see cref="Step"/> draws noise and therefore needs a generator.</summary>
    public virtual bool IsStochastic => false;

    /// <summary>The index into <see cref="Timesteps"/> of the next <see cref="Step"/>, once stepping has begun.</summary>
    public int? StepIndex { get; protected set; }

    /// <summary>The first index into <see cref="Timesteps"/> the loop will use (set by img2img).</summary>
    public int? BeginIndex { get; private set; }

    /// <summary>diffusers' <c>betas</c>.</summary>
    protected double[] Betas { get; }

    /// <summary>diffusers' <c>alphas_cumprod</c>.</summary>
    protected double[] AlphasCumprod { get; }

    /// <summary>Chooses the inference timesteps (and sigmas) for <paramref name="numInferenceSteps"/> steps and resets state.</summary>
    public abstract void SetTimesteps(int numInferenceSteps);

    /// <summary>
    /// Scales the latent before it is given to the model. Identity for DDPM-style schedulers; sigma-based ones
    /// divide by sqrt(sigma^2 + 1).
    /// </summary>
    public virtual float[] ScaleModelInput(ReadOnlySpan<float> sample, double timestep) => sample.ToArray();

    /// <summary><see cref="ScaleModelInput(ReadOnlySpan{float}, double)"/> written into <paramref name="destination"/>
    /// (the UNet's input buffer), so the loop allocates nothing for it.</summary>
    public virtual void ScaleModelInput(ReadOnlySpan<float> sample, double timestep, Span<float> destination) => sample.CopyTo(destination);

    /// <summary>
    /// Advances the sample by one model evaluation. Call once per entry of <see cref="Timesteps"/>, in order,
    /// passing that entry and the (guided) model output for it.
    /// </summary>
    /// <param name="modelOutput">The model's prediction (<see cref="SchedulerConfig.PredictionType"/>).</param>
    /// <param name="timestep">The entry of <see cref="Timesteps"/> the model was evaluated at.</param>
    /// <param name="sample">The current latent (not the scaled model input).</param>
    /// <param name="generator">Required when <see cref="IsStochastic"/>; the only source of randomness.</param>
    public abstract SchedulerStepOutput Step(ReadOnlySpan<float> modelOutput, double timestep, ReadOnlySpan<float> sample, DeterministicRandom? generator = null);

    /// <summary>
    /// Forward diffusion for img2img / inpaint: noises <paramref name="originalSamples"/> to the level of
    /// <paramref name="timestep"/> (an entry of <see cref="Timesteps"/>).
    /// </summary>
    public virtual float[] AddNoise(ReadOnlySpan<float> originalSamples, ReadOnlySpan<float> noise, double timestep)
    {
        var t = (int)Math.Round(timestep);
        var abar = AlphasCumprod[t];
        return LatentMath.Combine(Math.Sqrt(abar), originalSamples, Math.Sqrt(1 - abar), noise);
    }

    /// <summary>Sets the first index the loop will use (diffusers' <c>set_begin_index</c>).</summary>
    public void SetBeginIndex(int beginIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(beginIndex);
        BeginIndex = beginIndex;
    }

    /// <summary>
    /// img2img / inpaint: after <see cref="SetTimesteps"/>, keeps the last <c>strength</c> part of the schedule as the
    /// diffusers img2img pipeline does (<c>init = min(int(N * strength), N)</c>, <c>t_start = N - init</c>), sets the
    /// begin index and returns the timesteps the loop should run (the first one is the level to noise the image to).
    /// </summary>
    public IReadOnlyList<double> TimestepsForStrength(double strength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(strength, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(strength, 1.0);
        var n = NumInferenceSteps;
        var init = Math.Min((int)(n * strength), n);
        var tStart = Math.Max(n - init, 0);
        var begin = Math.Min(tStart * Order, _timesteps.Length);
        SetBeginIndex(begin);
        return _timesteps[begin..];
    }

    /// <summary>Replaces the timesteps and resets the stepping state; for <see cref="SetTimesteps"/> implementations.</summary>
    protected void SetTimestepValues(double[] timesteps, int numInferenceSteps)
    {
        ArgumentNullException.ThrowIfNull(timesteps);
        _timesteps = timesteps;
        NumInferenceSteps = numInferenceSteps;
        StepIndex = null;
        BeginIndex = null;
    }

    /// <summary>diffusers' <c>index_for_timestep</c>: the second match when a timestep is listed twice.</summary>
    protected int IndexForTimestep(double timestep)
    {
        var first = -1;
        for (var i = 0; i < _timesteps.Length; i++)
        {
            if (_timesteps[i] == timestep)
            {
                if (first >= 0)
                {
                    return i;
                }

                first = i;
            }
        }

        if (first < 0)
        {
            throw new ArgumentException($"Timestep {timestep} is not one of this scheduler's timesteps; call SetTimesteps and pass the entries of Timesteps.", nameof(timestep));
        }

        return first;
    }

    /// <summary>diffusers' <c>_init_step_index</c>: the current index, found on the first call.</summary>
    protected int CurrentStepIndex(double timestep)
    {
        StepIndex ??= BeginIndex ?? InitialStepIndex(timestep);
        return StepIndex.Value;
    }

    /// <summary>Where stepping starts when no begin index was set: diffusers looks the timestep up.</summary>
    protected virtual int InitialStepIndex(double timestep) => IndexForTimestep(timestep);

    /// <summary>Checks that SetTimesteps ran and the two arrays agree.</summary>
    protected void EnsureReady(ReadOnlySpan<float> modelOutput, ReadOnlySpan<float> sample)
    {
        if (NumInferenceSteps == 0)
        {
            throw new InvalidOperationException($"{ApiName}: call SetTimesteps before Step.");
        }

        if (modelOutput.Length != sample.Length)
        {
            throw new ArgumentException($"{ApiName}: model output has {modelOutput.Length} values but the sample has {sample.Length}.");
        }
    }

    /// <summary>Throws a clear error when a stochastic step has no generator.</summary>
    protected DeterministicRandom RequireGenerator(DeterministicRandom? generator) =>
        generator ?? throw new ArgumentNullException(nameof(generator), $"{ApiName} draws noise in Step; pass the request's DeterministicRandom.");

    /// <summary>Checks <paramref name="numInferenceSteps"/> for SetTimesteps implementations.</summary>
    protected void ValidateStepCount(int numInferenceSteps, int minimum = 1)
    {
        if (numInferenceSteps < minimum || numInferenceSteps > Config.NumTrainTimesteps)
        {
            throw new ArgumentOutOfRangeException(nameof(numInferenceSteps), numInferenceSteps,
                $"{ApiName}: the number of inference steps must be between {minimum} and num_train_timesteps ({Config.NumTrainTimesteps}).");
        }
    }
}
