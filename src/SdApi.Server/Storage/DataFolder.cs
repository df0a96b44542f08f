using Microsoft.Extensions.Options;
using SdApi.Server.Configuration;

namespace SdApi.Server.Storage;

/// <summary>The data folder (<c>SdApi:DataDir</c>) and its layout: <c>jobs.db</c>, <c>outputs/</c>, <c>inputs/</c>,
/// <c>model-store/</c> (the engine's store: <c>models/&lt;id&gt;/</c>, <c>loras/&lt;id&gt;.safetensors</c>,
/// <c>embeddings/</c>, <c>vae/</c>), <c>api-key.txt</c>.</summary>
public sealed class DataFolder
{
    public DataFolder(IOptions<ServerOptions> options)
    {
        Root = Path.GetFullPath(options.Value.DataDir);
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(Outputs);
        Directory.CreateDirectory(Models);
        Directory.CreateDirectory(Loras);
    }

    public string Root { get; }
    public string Database => Path.Combine(Root, "jobs.db");
    public string Outputs => Path.Combine(Root, "outputs");
    /// <summary>The engine's model store.</summary>
    public string ModelStore => Path.Combine(Root, "model-store");
    /// <summary>Models: one diffusers ONNX folder per model id.</summary>
    public string Models => Path.Combine(ModelStore, "models");
    /// <summary>LoRA adapters: <c>&lt;id&gt;.safetensors</c>.</summary>
    public string Loras => Path.Combine(ModelStore, "loras");
}
