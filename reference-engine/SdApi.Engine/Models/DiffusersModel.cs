using Microsoft.ML.OnnxRuntime;
using SdApi.Engine.Ort;
using SdApi.Engine.Text;

namespace SdApi.Engine.Models;

/// <summary>
/// A loaded diffusers ONNX export (or the built-in model, which is written in the same layout): tokenizer,
/// scheduler configuration and base sessions for the four networks, opened lazily. Input and output names follow
/// diffusers' export: unet (sample, timestep, encoder_hidden_states -> out_sample), text_encoder (input_ids ->
/// last_hidden_state, pooler_output[, hidden_states.N]), vae_decoder (latent_sample -> sample), vae_encoder
/// (sample -> latent_sample).
/// </summary>
public sealed class DiffusersModel : IDisposable
{
    private readonly SessionSettings _settings;
    private readonly Lazy<ModelSession> _textEncoder;
    private readonly Lazy<ModelSession> _unet;
    private readonly Lazy<ModelSession> _vaeDecoder;
    private readonly Lazy<ModelSession?> _vaeEncoder;

    public DiffusersModel(string id, string folder, SessionSettings settings)
    {
        Id = id;
        Folder = folder;
        _settings = settings;
        foreach (var required in new[] { TextEncoderPath, UnetPath, VaeDecoderPath, Path.Combine(folder, "tokenizer", "vocab.json") })
            if (!File.Exists(required))
                throw new FileNotFoundException($"Model '{id}' is missing {Path.GetRelativePath(folder, required)} (diffusers ONNX layout expected).", required);
        Tokenizer = ClipTokenizer.FromFolder(Path.Combine(folder, "tokenizer"));
        var schedulerConfig = Path.Combine(folder, "scheduler", "scheduler_config.json");
        SchedulerConfigJson = File.Exists(schedulerConfig) ? File.ReadAllText(schedulerConfig) : null;
        _textEncoder = new(() => Open(TextEncoderPath));
        _unet = new(() => Open(UnetPath));
        _vaeDecoder = new(() => Open(VaeDecoderPath));
        _vaeEncoder = new(() => File.Exists(VaeEncoderPath) ? Open(VaeEncoderPath) : null);
    }

    public string Id { get; }
    public string Folder { get; }
    public ClipTokenizer Tokenizer { get; }
    public string? SchedulerConfigJson { get; }

    public string TextEncoderPath => Path.Combine(Folder, "text_encoder", "model.onnx");
    public string UnetPath => Path.Combine(Folder, "unet", "model.onnx");
    public string VaeDecoderPath => Path.Combine(Folder, "vae_decoder", "model.onnx");
    public string VaeEncoderPath => Path.Combine(Folder, "vae_encoder", "model.onnx");

    public ModelSession TextEncoder => _textEncoder.Value;
    public ModelSession Unet => _unet.Value;
    public ModelSession VaeDecoder => _vaeDecoder.Value;
    /// <summary>null when the export has no vae_encoder (img2img and inpaint then fail with a clear error).</summary>
    public ModelSession? VaeEncoder => _vaeEncoder.Value;

    /// <summary>Latent channels the UNet expects (4 for SD 1.x).</summary>
    public int LatentChannels => Dim(Unet.Inputs["sample"].Dimensions, 1, 4);

    public ModelSession Open(string path) => ModelSession.Open(path, _settings);

    /// <summary>Opens <paramref name="path"/> with some initializers replaced (LoRA merges, textual-inversion tables); the session owns them.</summary>
    public ModelSession OpenWithInitializers(string path, IReadOnlyDictionary<string, OrtValue> initializers)
    {
        ArgumentNullException.ThrowIfNull(initializers);
        return ModelSession.Open(path, _settings, initializers);
    }

    private static int Dim(int[] shape, int index, int fallback) =>
        shape.Length > index && shape[index] > 0 ? shape[index] : fallback;

    public void Dispose()
    {
        if (_textEncoder.IsValueCreated) _textEncoder.Value.Dispose();
        if (_unet.IsValueCreated) _unet.Value.Dispose();
        if (_vaeDecoder.IsValueCreated) _vaeDecoder.Value.Dispose();
        if (_vaeEncoder.IsValueCreated) _vaeEncoder.Value?.Dispose();
    }
}
