namespace SdApi.Server.Generation;

/// <summary>Which model and LoRA ids the data folder's model store holds (StrictModels checks them when a job is accepted).</summary>
public interface IModelStore
{
    bool ModelExists(string modelId);
    bool LoraExists(string loraId);
}
