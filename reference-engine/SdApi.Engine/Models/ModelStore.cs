using System.Text.RegularExpressions;
using SdApi.Engine.Models.BuiltIn;

namespace SdApi.Engine.Models;

/// <summary>
/// The on-disk model store, keyed by id:
/// <c>models/&lt;id&gt;/</c> (diffusers ONNX layout: text_encoder, unet, vae_decoder, vae_encoder, tokenizer, scheduler),
/// <c>loras/&lt;id&gt;.safetensors</c> (kohya keys), <c>embeddings/&lt;id&gt;.safetensors</c> (textual inversion) and
/// <c>vae/&lt;id&gt;/</c> (vae_decoder/model.onnx, optionally vae_encoder/model.onnx).
/// The built-in model is written under <c>models/sdapi-oracle/</c> on first use.
/// </summary>
public sealed partial class ModelStore(string root)
{
    public string Root { get; } = Path.GetFullPath(root);

    public string ModelFolder(string id) => Path.Combine(Root, "models", id);

    /// <summary>True when <paramref name="id"/> is the built-in model or a folder with a UNet.</summary>
    public bool HasModel(string id) =>
        id == BuiltInModel.Id || (IsSafeId(id) && File.Exists(Path.Combine(ModelFolder(id), "unet", "model.onnx")));

    public string? LoraFile(string id) => ExistingFile("loras", id);
    public string? EmbeddingFile(string id) => ExistingFile("embeddings", id);

    public string? VaeFolder(string id) =>
        IsSafeId(id) && File.Exists(Path.Combine(Root, "vae", id, "vae_decoder", "model.onnx")) ? Path.Combine(Root, "vae", id) : null;

    public bool HasLora(string id) => LoraFile(id) is not null;

    /// <summary>Model ids present in the store (the built-in one always).</summary>
    public IReadOnlyList<string> ModelIds()
    {
        var dir = Path.Combine(Root, "models");
        var found = Directory.Exists(dir)
            ? Directory.GetDirectories(dir).Select(Path.GetFileName).OfType<string>().Where(HasModel)
            : [];
        return [.. found.Append(BuiltInModel.Id).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    /// <summary>Writes the built-in model if needed and returns its folder.</summary>
    public string EnsureBuiltIn() => BuiltInModel.EnsureWritten(ModelFolder(BuiltInModel.Id));

    /// <summary>Ids are single path segments of letters, digits, '.', '_' and '-' (never "..").</summary>
    public static bool IsSafeId(string? id) => id is not null && SafeId().IsMatch(id) && id != "." && id != "..";

    /// <summary><c>&lt;root&gt;/&lt;folder&gt;/&lt;id&gt;.safetensors</c> when the id is safe and the file exists.</summary>
    private string? ExistingFile(string folder, string id)
    {
        if (!IsSafeId(id)) return null;
        var path = Path.Combine(Root, folder, id + ".safetensors");
        return File.Exists(path) ? path : null;
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,128}$")]
    private static partial Regex SafeId();
}
