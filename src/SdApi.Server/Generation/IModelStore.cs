namespace SdApi.Server.Generation;

/// <summary>The engine's model store: which model and LoRA ids it holds (StrictModels checks them when a job is
/// accepted), and the models it has in memory (idle eviction releases them, model_reload loads them again).
/// The memory members have defaults (nothing held in memory) so a stand-in engine need only answer the id checks.</summary>
public interface IModelStore
{
    bool ModelExists(string modelId);
    bool LoraExists(string loraId);

    /// <summary>The engine model a requested id runs on (unknown ids share the built-in model unless StrictModels);
    /// null when the engine would refuse the id or keeps no models in memory.</summary>
    string? EngineModelId(string modelId) => null;

    /// <summary>True when the engine model's sessions are in memory.</summary>
    bool IsLoaded(string engineModelId) => false;

    /// <summary>Releases the engine model and its sessions (after running generations); false if it was not loaded.</summary>
    bool Evict(string engineModelId) => false;

    /// <summary>The scheduler a request would run (the requested one, else the model's configured one), known before it
    /// runs so a <c>processing</c> answer can report it; null when unknown.</summary>
    string? PlannedScheduler(string modelId, string? requested) => requested;

    /// <summary>Loads the model a requested id runs on and opens its sessions.</summary>
    Task ReloadAsync(string modelId, CancellationToken ct) => Task.CompletedTask;
}
