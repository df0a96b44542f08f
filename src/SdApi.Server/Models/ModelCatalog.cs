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
/// <see cref="ModelOptions.ReloadTime"/>. Without StrictModels any id is served by the built-in model.</summary>
public sealed class ModelCatalog(IModelStore modelStore, JobStore store, TimeProvider clock, IOptions<ServerOptions> options)
{
    private readonly ServerOptions _options = options.Value;

    public bool Strict => _options.StrictModels;

    public bool IsKnownModel(string modelId) =>
        modelId == GenerationParameters.BuiltInModel || (IsPlainId(modelId) && modelStore.ModelExists(modelId));

    public bool IsKnownLora(string loraId) => IsPlainId(loraId) && modelStore.LoraExists(loraId);

    public async Task<ModelAvailability> AvailabilityAsync(string modelId, CancellationToken ct)
    {
        if (Strict && !IsKnownModel(modelId))
            return ModelAvailability.NotFound;
        var (lastUsed, reloadReadyAt) = await store.GetModelStateAsync(modelId, ct);
        var now = clock.GetUtcNow();
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

    /// <summary>model_reload: an evicted model starts reloading and is usable after <see cref="ModelOptions.ReloadTime"/>;
    /// a loaded one stays as it is. Returns the state after the call and the time until it is ready.</summary>
    public async Task<(ModelAvailability State, TimeSpan Remaining)> ReloadAsync(string modelId, CancellationToken ct)
    {
        var state = await AvailabilityAsync(modelId, ct);
        var now = clock.GetUtcNow();
        switch (state)
        {
            case ModelAvailability.Reloading:
                var (_, readyAt) = await store.GetModelStateAsync(modelId, ct);
                return (state, readyAt!.Value - now);
            case ModelAvailability.Evicted:
                var reloadTime = _options.Models.ReloadTime;
                await store.SetModelStateAsync(modelId, now, now + reloadTime, ct);
                return reloadTime > TimeSpan.Zero ? (ModelAvailability.Reloading, reloadTime) : (ModelAvailability.Ready, TimeSpan.Zero);
            default:
                return (state, TimeSpan.Zero);
        }
    }

    public Task MarkUsedAsync(string modelId, CancellationToken ct) =>
        store.SetModelStateAsync(modelId, clock.GetUtcNow(), null, ct);

    private static bool IsPlainId(string id) =>
        id.Length is > 0 and <= 128 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') && !id.StartsWith('.');
}
