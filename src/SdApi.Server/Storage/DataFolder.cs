using Microsoft.Extensions.Options;
using SdApi.Server.Configuration;

namespace SdApi.Server.Storage;

/// <summary>The data folder (<c>SdApi:DataDir</c>) and its layout: <c>jobs.db</c>, <c>outputs/</c>, <c>inputs/</c>,
/// <c>models/</c>, <c>api-key.txt</c>.</summary>
public sealed class DataFolder
{
    public DataFolder(IOptions<ServerOptions> options)
    {
        Root = Path.GetFullPath(options.Value.DataDir);
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(Outputs);
        Directory.CreateDirectory(Inputs);
        Directory.CreateDirectory(Models);
        Directory.CreateDirectory(Loras);
    }

    public string Root { get; }
    public string Database => Path.Combine(Root, "jobs.db");
    public string Outputs => Path.Combine(Root, "outputs");
    public string Inputs => Path.Combine(Root, "inputs");
    /// <summary>The model store: one folder per model id.</summary>
    public string Models => Path.Combine(Root, "models");
    /// <summary>LoRA adapters: one file or folder per LoRA id.</summary>
    public string Loras => Path.Combine(Root, "loras");
}
