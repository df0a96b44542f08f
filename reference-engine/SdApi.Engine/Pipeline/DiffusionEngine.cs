using System.Diagnostics;
using System.Security.Cryptography;
using SdApi.Engine.Models;
using SdApi.Engine.Models.BuiltIn;
using SdApi.Engine.Imaging;
using SdApi.Engine.Safety;

namespace SdApi.Engine.Pipeline;

/// <summary>
/// The engine's public facade: generates images for API requests in-process with ONNX Runtime, and manages the
/// loaded models (is-loaded / evict / reload) and the ids the store knows (for strict mode).
/// Thread-safe; at most <see cref="EngineOptions.MaxConcurrentGenerations"/> generations run at once.
/// </summary>
public sealed class DiffusionEngine : IDisposable
{
    private readonly ModelCache _models;
    private readonly SemaphoreSlim _gate;
    private readonly int _slots;

    public DiffusionEngine(EngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        Store = new ModelStore(options.ModelStoreDirectory);
        _models = new ModelCache(Store, new Ort.SessionSettings(options.IntraOpThreads, options.OptimizationLevel, options.AllowOrtTelemetry), options);
        _slots = Math.Max(1, options.MaxConcurrentGenerations);
        _gate = new SemaphoreSlim(_slots, _slots);
    }

    /// <summary>The id of the built-in oracle model (what lenient mode runs for unknown model ids).</summary>
    public static string BuiltInModelId => BuiltInModel.Id;

    public EngineOptions Options { get; }
    public ModelStore Store { get; }

    /// <summary>Time spent inside ORT for UNet calls during the last generation (for benchmarks).</summary>
    public TimeSpan LastUnetOrtTime { get; private set; }

    // ---------------------------------------------------------------- generation

    public async Task<GenerationResult> GenerateAsync(GenerationRequest request, IProgress<GenerationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        RequestValidator.Validate(request);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await Task.Run(() => Generate(request, progress, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private GenerationResult Generate(GenerationRequest request, IProgress<GenerationProgress>? progress, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var cpuStarted = SdApi.Engine.Ort.OrtRunClock.ThreadCpuNanoseconds();
        var phases = new PhaseClock();
        var modelId = ResolveModelId(request.ModelId);
        var seed = request.Seed ?? RandomSeed();
        var prompt = request.EnhancePrompt ? PromptEnhancer.Enhance(request.Prompt) : request.Prompt;
        var resolved = _models.Resolve(modelId, request);
        var resolveTime = Stopwatch.GetElapsedTime(started);
        phases.Mark("resolve");
        var output = new StableDiffusionPipeline(resolved.Components, request, seed, prompt, phases).Run(progress, cancellationToken);
        LastUnetOrtTime = output.OrtUnetTime;

        var meta = new GenerationMeta
        {
            ModelId = modelId,
            Prompt = request.Prompt,
            EffectivePrompt = prompt,
            EnhancedPromptSuffix = request.EnhancePrompt && prompt != request.Prompt ? prompt[request.Prompt.TrimEnd().Length..] : null,
            NegativePrompt = request.NegativePrompt,
            Width = output.Width,
            Height = output.Height,
            Samples = request.Samples,
            Steps = request.Steps,
            GuidanceScale = request.GuidanceScale,
            Seed = seed,
            ClipSkip = request.ClipSkip,
            Scheduler = SchedulerSelection.EffectiveName(request.Scheduler, resolved.Components.Model.SchedulerConfigJson),
            UseKarrasSigmas = request.UseKarrasSigmas ?? false,
            AlgorithmType = request.AlgorithmType,
            Loras = request.Loras,
            SynthesizedLoras = resolved.SynthesizedLoras,
            EmbeddingsModel = request.EmbeddingsModel,
            Vae = request.Vae,
            Strength = request.Mode == GenerationMode.Text2Img ? null : request.Strength,
            Upscale = request.Upscale,
            Panorama = request.Panorama,
            HighresFix = request.HighresFix,
            SafetyChecker = request.SafetyChecker,
            SafetyCheckerType = request.SafetyChecker ? (SafetyCheckerTypes.TryParse(request.SafetyCheckerType, out var action) ? action : SafetyCheckerTypes.Default).ToWireName() : null,
            Notes = [.. resolved.Notes, .. output.Notes],
        };

        phases.Mark("meta");
        var pngStarted = Stopwatch.GetTimestamp();
        var unsafePrompt = request.SafetyChecker && SafetyChecker.Check(prompt).IsUnsafe;
        SafetyCheckerTypes.TryParse(request.SafetyCheckerType, out var safetyAction);
        var images = new List<GeneratedImage>(output.Images.Length);
        for (var i = 0; i < output.Images.Length; i++)
        {
            var image = new RgbImage(output.Width, output.Height, 3, output.Images[i]);
            if (unsafePrompt) image = SafetyActions.Apply(image, safetyAction).ToRgb();
            var sampleSeed = seed + i;
            var png = PngEncoder.EncodeWithParameters(image, PngParameters.Format(meta, sampleSeed));
            images.Add(new GeneratedImage(png, output.Width, output.Height, sampleSeed, unsafePrompt));
            // nothing refers to the pixels now (the result decodes its PNG on demand): reuse the buffer
            PixelBufferPool.Return(output.Images[i]);
        }
        phases.Mark("png");
        return new GenerationResult(images, seed, meta, Stopwatch.GetElapsedTime(started))
        {
            Timings = new GenerationTimings(resolveTime, output.PromptEncoding, output.Denoising, output.Decoding, Stopwatch.GetElapsedTime(pngStarted))
            {
                ThreadCpuTime = TimeSpan.FromTicks((SdApi.Engine.Ort.OrtRunClock.ThreadCpuNanoseconds() - cpuStarted) / 100),
                Phases = phases.Phases,
            },
        };
    }

    private static long RandomSeed() => RandomNumberGenerator.GetInt32(int.MaxValue);

    // ---------------------------------------------------------------- model management

    /// <summary>
    /// The model id a request runs on: null/empty = the built-in model; an id the store lacks is an error in strict
    /// mode and the built-in model otherwise.
    /// </summary>
    public string ResolveModelId(string? requested)
    {
        if (string.IsNullOrWhiteSpace(requested)) return BuiltInModel.Id;
        if (Store.HasModel(requested)) return requested;
        if (Options.StrictModels) throw new ModelNotFoundException("model_id", requested, "Model");
        return BuiltInModel.Id;
    }

    /// <summary>The scheduler a request for <paramref name="modelId"/> would run, without loading the model: the requested
    /// one, else the class named by the model's scheduler_config.json (what a finished job reports in meta).</summary>
    public string PlannedScheduler(string? modelId, string? requested)
    {
        string? config = null;
        try
        {
            var file = Path.Combine(Store.ModelFolder(ResolveModelId(modelId)), "scheduler", "scheduler_config.json");
            if (File.Exists(file)) config = File.ReadAllText(file);
        }
        catch (ModelNotFoundException) { }
        return SchedulerSelection.EffectiveName(requested, config);
    }

    /// <summary>True when the store has this model (the built-in one always).</summary>
    public bool ModelExists(string modelId) => Store.HasModel(modelId);

    /// <summary>True when the store has an adapter file for this LoRA id.</summary>
    public bool LoraExists(string loraId) => Store.HasLora(loraId);

    public bool EmbeddingExists(string id) => Store.EmbeddingFile(id) is not null;
    public bool VaeExists(string id) => Store.VaeFolder(id) is not null;

    /// <summary>True when the model's sessions are in memory.</summary>
    public bool IsLoaded(string modelId) => _models.IsLoaded(modelId);

    /// <summary>Drops the model and all its cached sessions (waits for running generations); false if it was not loaded.</summary>
    public bool Evict(string modelId)
    {
        AcquireAll();
        try { return _models.Evict(modelId); }
        finally { _gate.Release(_slots); }
    }

    /// <summary>model_reload: evicts, then loads the model and opens its base sessions again.</summary>
    public async Task ReloadAsync(string modelId, CancellationToken cancellationToken = default)
    {
        var id = ResolveModelId(modelId);
        for (var i = 0; i < _slots; i++) await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await Task.Run(() =>
            {
                _models.Evict(id);
                _models.Warm(id);
            }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release(_slots);
        }
    }

    private void AcquireAll()
    {
        for (var i = 0; i < _slots; i++) _gate.Wait();
    }

    public void Dispose()
    {
        _models.Dispose();
        _gate.Dispose();
    }
}
