using SdApi.Engine.Ort;
using SdApi.Engine.Text;

namespace SdApi.Engine.Models;

/// <summary>How sessions are created: ORT threads and optimisation level.</summary>
public sealed record SessionSettings(int IntraOpThreads, OrtOptimizationLevel OptimizationLevel)
{
    public OrtSessionOptions CreateOptions() => new(IntraOpThreads, OptimizationLevel);
}

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
    private readonly Lazy<OrtInferenceSession> _textEncoder;
    private readonly Lazy<OrtInferenceSession> _unet;
    private readonly Lazy<OrtInferenceSession> _vaeDecoder;
    private readonly Lazy<OrtInferenceSession?> _vaeEncoder;

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

    public OrtInferenceSession TextEncoder => _textEncoder.Value;
    public OrtInferenceSession Unet => _unet.Value;
    public OrtInferenceSession VaeDecoder => _vaeDecoder.Value;
    /// <summary>null when the export has no vae_encoder (img2img and inpaint then fail with a clear error).</summary>
    public OrtInferenceSession? VaeEncoder => _vaeEncoder.Value;

    /// <summary>Latent channels the UNet expects (4 for SD 1.x).</summary>
    public int LatentChannels => Dim(Unet.Inputs.First(i => i.Name == "sample").Shape, 1, 4);

    public OrtInferenceSession Open(string path) => OrtInferenceSession.FromFile(path, _settings.CreateOptions());

    /// <summary>Opens <paramref name="path"/> with some initializers replaced (LoRA merges, textual-inversion tables).</summary>
    public OrtInferenceSession OpenWithInitializers(string path, IReadOnlyDictionary<string, OrtTensor> initializers)
    {
        ArgumentNullException.ThrowIfNull(initializers);
        var options = _settings.CreateOptions();
        try
        {
            foreach (var (name, value) in initializers) options.AddInitializer(name, value);
            return OrtInferenceSession.FromFile(path, options);
        }
        catch
        {
            options.Dispose();
            throw;
        }
    }

    private static int Dim(IReadOnlyList<long> shape, int index, int fallback) =>
        shape.Count > index && shape[index] > 0 ? (int)shape[index] : fallback;

    public void Dispose()
    {
        if (_textEncoder.IsValueCreated) _textEncoder.Value.Dispose();
        if (_unet.IsValueCreated) _unet.Value.Dispose();
        if (_vaeDecoder.IsValueCreated) _vaeDecoder.Value.Dispose();
        if (_vaeEncoder.IsValueCreated) _vaeEncoder.Value?.Dispose();
    }
}
