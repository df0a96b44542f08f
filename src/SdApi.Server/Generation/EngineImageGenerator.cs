using Microsoft.Extensions.Options;
using SdApi.Engine.Pipeline;
using SdApi.Server.Configuration;
using SdApi.Server.Storage;

namespace SdApi.Server.Generation;

/// <summary>The ONNX engine (<see cref="DiffusionEngine"/>) behind <see cref="IImageGenerator"/>: maps the request's
/// fields onto a <see cref="GenerationRequest"/>, and engine refusals onto <see cref="GenerationException"/>.</summary>
public sealed class EngineImageGenerator : IImageGenerator, IModelStore, IDisposable
{
    private readonly DiffusionEngine _engine;

    public EngineImageGenerator(DataFolder data, IOptions<ServerOptions> options)
    {
        var server = options.Value;
        _engine = new DiffusionEngine(new EngineOptions
        {
            ModelStoreDirectory = data.ModelStore,
            StrictModels = server.StrictModels,
            MaxConcurrentGenerations = Math.Max(1, server.Jobs.MaxConcurrentGenerations),
            IntraOpThreads = server.Engine.IntraOpThreads,
            AllowOrtTelemetry = server.Engine.AllowOrtTelemetry,
        });
    }

    public bool ModelExists(string modelId) => _engine.ModelExists(modelId);

    public bool LoraExists(string loraId) => _engine.LoraExists(loraId);

    public string? EngineModelId(string modelId)
    {
        try { return _engine.ResolveModelId(modelId); }
        catch (ModelNotFoundException) { return null; }
    }

    public bool IsLoaded(string engineModelId) => _engine.IsLoaded(engineModelId);

    public bool Evict(string engineModelId) => _engine.Evict(engineModelId);

    public Task ReloadAsync(string modelId, CancellationToken ct) => _engine.ReloadAsync(modelId, ct);

    public async Task<GeneratedImages> GenerateAsync(GenerationParameters parameters, IReadOnlyDictionary<string, byte[]> inputs,
        IProgress<double>? progress, CancellationToken ct)
    {
        var request = ToEngineRequest(parameters, inputs);
        IProgress<GenerationProgress>? steps = progress is null
            ? null
            : new Progress<GenerationProgress>(p => progress.Report(p.TotalSteps == 0 ? 0 : p.Step / (double)p.TotalSteps));
        try
        {
            var result = await _engine.GenerateAsync(request, steps, ct);
            return new GeneratedImages([.. result.Images.Select(i => i.Png)], result.Images.Any(i => i.NsfwContentDetected), result.Meta.Scheduler,
                result.Images.Count > 0 ? result.Images[0].Width : result.Meta.Width,
                result.Images.Count > 0 ? result.Images[0].Height : result.Meta.Height,
                result.Meta.EffectivePrompt);
        }
        catch (EngineRequestException e)
        {
            throw new GenerationException(e.Field is null ? e.Message : $"{e.Field}: {e.Message}", e);
        }
    }

    public static GenerationRequest ToEngineRequest(GenerationParameters p, IReadOnlyDictionary<string, byte[]> inputs)
    {
        var body = p.Body;
        return new GenerationRequest
        {
            Mode = p.Kind switch { "img2img" => GenerationMode.Img2Img, "inpaint" => GenerationMode.Inpaint, _ => GenerationMode.Text2Img },
            ModelId = p.ModelId,
            Prompt = p.Prompt,
            NegativePrompt = p.NegativePrompt,
            Width = p.Width,
            Height = p.Height,
            Samples = p.Samples,
            Steps = p.Steps,
            GuidanceScale = p.GuidanceScale,
            Seed = p.Seed,
            ClipSkip = (int)(RequestFields.Integer(body, "clip_skip") ?? 1),
            Scheduler = p.Scheduler,
            UseKarrasSigmas = RequestFields.YesNo(body, "use_karras_sigmas"),
            AlgorithmType = RequestFields.String(body, "algorithm_type") is { } a && a != "none" ? a : null,
            Loras = [.. p.LoraModels.Select((id, i) => new LoraSelection(id, i < p.LoraStrengths.Count ? p.LoraStrengths[i] : 1.0))],
            EmbeddingsModel = RequestFields.String(body, "embeddings_model") is { Length: > 0 } e ? e : null,
            Vae = RequestFields.String(body, "vae") is { Length: > 0 } v ? v : null,
            InitImage = inputs.GetValueOrDefault("init_image"),
            MaskImage = inputs.GetValueOrDefault("mask_image"),
            Strength = p.Strength,
            Upscale = UpscaleFactor(RequestFields.String(body, "upscale")),
            Panorama = RequestFields.YesNo(body, "panorama") ?? false,
            HighresFix = RequestFields.YesNo(body, "highres_fix") ?? false,
            SafetyChecker = p.SafetyChecker,
            SafetyCheckerType = RequestFields.String(body, "safety_checker_type"),
            EnhancePrompt = RequestFields.YesNo(body, "enhance_prompt") ?? false,
        };
    }

    /// <summary>upscale: "yes" = 2 (the LoRA pages), "no" = 1, or the factor 1, 2, 3 (the Text to Image pages).</summary>
    private static int UpscaleFactor(string? value) => value?.ToLowerInvariant() switch
    {
        "yes" => 2,
        "2" => 2,
        "3" => 3,
        _ => 1,
    };

    public void Dispose() => _engine.Dispose();
}
