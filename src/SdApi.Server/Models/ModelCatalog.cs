using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using SdApi.Server.Configuration;
using SdApi.Server.Generation;
using SdApi.Server.Jobs;

namespace SdApi.Server.Models;

/// <summary>What a model id means to this server right now.</summary>
public enum ModelAvailability
{
    Ready,
    /// <summary>Not in the model store and <c>SdApi:StrictModels</c> is on.</summary>
    NotFound,
    /// <summary>Unused longer than <see cref="ModelOptions.IdleEviction"/>: needs model_reload.</summary>
    Evicted,
    /// <summary>A model_reload is under way.</summary>
    Reloading,
}

/// <summary>The model store (<c>&lt;DataDir&gt;/model-store/models/&lt;id&gt;/</c>, LoRA adapters in <c>loras/&lt;id&gt;.safetensors</c>)
/// plus the live API's lifecycle: a model idle too long is evicted until a model_reload, which takes
/// <see cref="ModelOptions.ReloadTime"/>. Without StrictModels any id is served by the built-in model.
/// The state per requested id lives in <c>jobs.db</c> (it survives restarts); the engine follows it: the idle sweep
/// (<see cref="ModelEvictionService"/>) releases an engine model once every id running on it is evicted, and
/// model_reload loads it again.</summary>
public sealed partial class ModelCatalog(IModelStore modelStore, JobStore store, TimeProvider clock, IOptions<ServerOptions> options,
    ILogger<ModelCatalog> logger)
{
    private readonly ServerOptions _options = options.Value;
    private readonly ConcurrentDictionary<string, Task> _engineReloads = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _sweepRequested = new(0, 1);

    public bool Strict => _options.StrictModels;

    public bool IsKnownModel(string modelId) =>
        modelId == GenerationParameters.BuiltInModel || (IsPlainId(modelId) && modelStore.ModelExists(modelId));

    public bool IsKnownLora(string loraId) => IsPlainId(loraId) && modelStore.LoraExists(loraId);

    public async Task<ModelAvailability> AvailabilityAsync(string modelId, CancellationToken ct)
    {
        if (Strict && !IsKnownModel(modelId))
            return ModelAvailability.NotFound;
        var (lastUsed, reloadReadyAt) = await store.GetModelStateAsync(modelId, ct);
        var state = StateAt(lastUsed, reloadReadyAt, clock.GetUtcNow());
        if (_engineReloads.TryGetValue(modelId, out var loading))
        {
            if (!loading.IsCompleted)
                return ModelAvailability.Reloading;
            _engineReloads.TryRemove(new KeyValuePair<string, Task>(modelId, loading));
        }
        if (state == ModelAvailability.Evicted)
            RequestSweep(); // release the engine's copy now rather than at the next periodic sweep
        return state;
    }

    /// <summary>model_reload: an evicted model starts reloading (the engine loads it in the background) and is usable
    /// once <see cref="ModelOptions.ReloadTime"/> has passed and the engine has loaded it; a loaded one stays as it is.
    /// Returns the state after the call and the time until it is ready.</summary>
    public async Task<(ModelAvailability State, TimeSpan Remaining)> ReloadAsync(string modelId, CancellationToken ct)
    {
        var state = await AvailabilityAsync(modelId, ct);
        var now = clock.GetUtcNow();
        switch (state)
        {
            case ModelAvailability.Reloading:
                var (_, readyAt) = await store.GetModelStateAsync(modelId, ct);
                var left = readyAt is { } r && r > now ? r - now : TimeSpan.Zero;
                return (state, left > TimeSpan.Zero ? left : TimeSpan.FromSeconds(1));
            case ModelAvailability.Evicted:
                var reloadTime = _options.Models.ReloadTime;
                await store.SetModelStateAsync(modelId, now, now + reloadTime, ct);
                var loading = _engineReloads[modelId] = LoadInEngineAsync(modelId);
                if (reloadTime > TimeSpan.Zero)
                    return (ModelAvailability.Reloading, reloadTime);
                await loading; // no configured delay: answer once the engine has the model
                return (ModelAvailability.Ready, TimeSpan.Zero);
            default:
                return (state, TimeSpan.Zero);
        }
    }

    public Task MarkUsedAsync(string modelId, CancellationToken ct) =>
        store.SetModelStateAsync(modelId, clock.GetUtcNow(), null, ct);

    /// <summary>Releases every engine model whose requested ids are all evicted (several ids can share one engine
    /// model: unknown ids run on the built-in one). Returns the engine model ids released.</summary>
    public async Task<IReadOnlyList<string>> ReleaseIdleAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var released = new List<string>();
        var states = await store.AllModelStatesAsync(ct);
        foreach (var group in states.GroupBy(s => modelStore.EngineModelId(s.ModelId)))
        {
            if (group.Key is not { } engineModel
                || !group.All(s => StateAt(s.LastUsed, s.ReloadReadyAt, now) == ModelAvailability.Evicted)
                || !modelStore.IsLoaded(engineModel))
                continue;
            // A model_reload that started after the states were read has the last word: the model stays.
            if (group.Any(s => _engineReloads.ContainsKey(s.ModelId)))
                continue;
            // Evict waits for running generations; none of them is this model's (its ids are all idle).
            if (await Task.Run(() => modelStore.Evict(engineModel), ct))
            {
                released.Add(engineModel);
                LogReleased(logger, engineModel);
                EngineModelReleased?.Invoke(engineModel);
            }
        }
        return released;
    }

    /// <summary>Raised after the engine released a model's sessions (idle eviction), with the engine model id.</summary>
    internal event Action<string>? EngineModelReleased;

    /// <summary>Raised when a model_reload's engine load has ended (loaded, or failed and logged), with the requested id.</summary>
    internal event Action<string>? EngineLoadEnded;

    /// <summary>Waits until an evicted model was seen or <paramref name="timeout"/> passed on the host's clock (the
    /// sweep's pace).</summary>
    internal async Task WaitForSweepRequestAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var wake = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var requested = _sweepRequested.WaitAsync(wake.Token);
        var paced = Task.Delay(timeout, clock, wake.Token);
        await Task.WhenAny(requested, paced);
        await wake.CancelAsync();
        ct.ThrowIfCancellationRequested();
        try { await requested; } // a request that won the race is consumed; one that lost was cancelled, not taken
        catch (OperationCanceledException) { }
    }

    private void RequestSweep()
    {
        try { _sweepRequested.Release(); }
        catch (SemaphoreFullException) { } // a sweep is already requested
    }

    private ModelAvailability StateAt(DateTimeOffset? lastUsed, DateTimeOffset? reloadReadyAt, DateTimeOffset now)
    {
        if (reloadReadyAt is { } ready)
        {
            if (now < ready)
                return ModelAvailability.Reloading;
            lastUsed = lastUsed > ready ? lastUsed : ready;
        }
        if (lastUsed is { } used && now - used > _options.Models.IdleEviction)
            return ModelAvailability.Evicted;
        return ModelAvailability.Ready;
    }

    /// <summary>The engine's reload of the model; until it has finished, the model counts as reloading (a reload
    /// slower than <see cref="ModelOptions.ReloadTime"/> is waited for).</summary>
    private async Task LoadInEngineAsync(string modelId)
    {
        try
        {
            await Task.Run(() => modelStore.ReloadAsync(modelId, CancellationToken.None));
        }
#pragma warning disable CA1031 // a model that cannot load is reported by the generation that needs it (as a failed job)
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogReloadFailed(logger, modelId, e);
        }
        finally
        {
            EngineLoadEnded?.Invoke(modelId);
        }
    }

    private static bool IsPlainId(string id) =>
        id.Length is > 0 and <= 128 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') && !id.StartsWith('.');

    [LoggerMessage(Level = LogLevel.Information, Message = "Released engine model {ModelId} after idle eviction.")]
    private static partial void LogReleased(ILogger logger, string modelId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "model_reload of {ModelId}: the engine could not load it.")]
    private static partial void LogReloadFailed(ILogger logger, string modelId, Exception e);
}
