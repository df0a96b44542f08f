using Microsoft.Extensions.Options;
using SdApi.Engine.Pipeline;
using SdApi.Server.Configuration;
using SdApi.Server.Endpoints;
using SdApi.Server.Storage;

namespace SdApi.Server.Generation;

/// <summary>The ONNX engine (<see cref="DiffusionEngine"/>) behind <see cref="IImageGenerator"/>: runs the typed
/// <see cref="GenerationParameters.Engine"/> request, and engine refusals onto <see cref="GenerationException"/>.</summary>
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
                result.Meta.EffectivePrompt, result.Meta.ModelId, result.Meta.SynthesizedLoras, result.Meta.Notes);
        }
        catch (EngineRequestException e)
        {
            throw new GenerationException(e.Field is null ? e.Message : $"{e.Field}: {e.Message}", e);
        }
    }

    /// <summary>The parameters' engine request with the job's decoded input images.</summary>
    public static GenerationRequest ToEngineRequest(GenerationParameters p, IReadOnlyDictionary<string, byte[]> inputs) =>
        p.Engine with
        {
            InitImage = inputs.GetValueOrDefault(InputImages.InitImage),
            MaskImage = inputs.GetValueOrDefault(InputImages.MaskImage),
        };

    public string? PlannedScheduler(string modelId, string? requested) => _engine.PlannedScheduler(modelId, requested);

    public void Dispose() => _engine.Dispose();
}
