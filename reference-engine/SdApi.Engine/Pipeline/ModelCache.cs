using System.Globalization;
using SdApi.Engine.Lora;
using SdApi.Engine.Models;
using SdApi.Engine.Models.BuiltIn;
using Microsoft.ML.OnnxRuntime.Tensors;
using SdApi.Engine.Ort;

namespace SdApi.Engine.Pipeline;

/// <summary>A request's components plus what resolving them taught us (synthesized LoRA ids, notes for meta).</summary>
internal sealed record ResolvedComponents(PipelineComponents Components, IReadOnlyList<string> SynthesizedLoras, IReadOnlyList<string> Notes);

/// <summary>
/// Loaded models and their session variants: the UNet per (adapters, strengths), the text encoder per (text-encoder
/// adapters, embeddings), and custom VAEs per id. Variants are created on first use (LoRA merged through
/// AddInitializer) and cached; the engine evicts only while no generation runs.
/// </summary>
internal sealed class ModelCache(ModelStore store, SessionSettings settings, EngineOptions options) : IDisposable
{
    /// <summary>Synthesized adapters' delta relative to the weights they touch: strong on the oracle, gentle on real models.</summary>
    private const double SyntheticRelativeStrengthBuiltIn = 0.5;
    private const double SyntheticRelativeStrength = 0.2;
    private const int SyntheticRank = 4;
    /// <summary>Synthesized embeddings' size relative to the token table's RMS on the oracle (whose table is mostly zeros).</summary>
    private const double SyntheticEmbeddingScaleBuiltIn = 3.0;

    private readonly Lock _lock = new();
    private readonly List<ModelSession> _retired = [];
    private readonly Dictionary<string, LoadedModel> _models = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (ModelSession Decoder, ModelSession? Encoder)> _vaes = new(StringComparer.Ordinal);

    private sealed class LoadedModel(DiffusersModel model) : IDisposable
    {
        public DiffusersModel Model { get; } = model;
        public Dictionary<string, ModelSession> Unets { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, ModelSession> TextEncoders { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, LoraAdapter> Adapters { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, TextualInversion> Embeddings { get; } = new(StringComparer.Ordinal);
        public IReadOnlyList<(LoraTargetShape Shape, double Rms)>? SynthesisTargets { get; set; }

        public void Dispose()
        {
            foreach (var s in Unets.Values.Concat(TextEncoders.Values)) s.Dispose();
            Model.Dispose();
        }
    }

    public bool IsLoaded(string modelId)
    {
        lock (_lock) return _models.ContainsKey(modelId);
    }

    public bool Evict(string modelId)
    {
        lock (_lock)
        {
            if (!_models.Remove(modelId, out var loaded)) return false;
            loaded.Dispose();
            return true;
        }
    }

    /// <summary>Loads the model and opens its base sessions.</summary>
    public void Warm(string modelId)
    {
        var loaded = Load(modelId);
        _ = loaded.Model.TextEncoder;
        _ = loaded.Model.Unet;
        _ = loaded.Model.VaeDecoder;
        _ = loaded.Model.VaeEncoder;
    }

    public ResolvedComponents Resolve(string modelId, GenerationRequest request)
    {
        var loaded = Load(modelId);
        var model = loaded.Model;
        if (!model.Unet.Inputs.TryGetValue("sample", out var sample))
            throw new EngineRequestException("model_id", $"Model '{modelId}': its UNet has no 'sample' input (diffusers ONNX export expected).");
        if (sample.ElementDataType != TensorElementType.Float)
            throw new EngineRequestException("model_id", $"Model '{modelId}' is a {sample.ElementDataType} export; this engine runs float32 exports only.");
        var notes = new List<string>();
        var synthesized = new List<string>();

        var adapters = new List<WeightedAdapter>();
        foreach (var lora in request.Loras)
        {
            var (adapter, wasSynthesized) = Adapter(loaded, lora.Id);
            if (wasSynthesized) synthesized.Add(lora.Id);
            adapters.Add(new WeightedAdapter(adapter, (float)lora.Strength));
        }
        var active = adapters.Where(a => a.Strength != 0).ToList();
        var unet = Variant(loaded.Unets, model.UnetPath, active, LoraModule.Unet, model, notes) ?? model.Unet;
        TextualInversion? embedding = null;
        if (request.EmbeddingsModel is { Length: > 0 } embeddingsId)
        {
            embedding = Embedding(loaded, embeddingsId, notes);
            if (embedding is not null && !embedding.Appears(request.Prompt) && !embedding.Appears(request.NegativePrompt))
                notes.Add($"embeddings_model '{embeddingsId}' is loaded; write its trigger word '{embeddingsId}' in the prompt or negative prompt to use it.");
        }
        var textEncoder = Variant(loaded.TextEncoders, model.TextEncoderPath, active, LoraModule.TextEncoder, model, notes, embedding) ?? model.TextEncoder;

        var (decoder, encoder) = (model.VaeDecoder, model.VaeEncoder);
        if (request.Vae is { Length: > 0 } vaeId)
        {
            if (store.VaeFolder(vaeId) is { } folder)
            {
                var custom = Vae(vaeId, folder, model);
                (decoder, encoder) = (custom.Decoder, custom.Encoder ?? model.VaeEncoder);
            }
            else if (options.StrictModels)
                throw new ModelNotFoundException("vae", vaeId, "VAE");
            else
                notes.Add($"vae '{vaeId}' is not in the model store; the model's own VAE was used.");
        }
        return new ResolvedComponents(new PipelineComponents(model, model.Tokenizer, textEncoder, unet, decoder, encoder, embedding), synthesized, notes);
    }

    private LoadedModel Load(string modelId)
    {
        lock (_lock)
        {
            if (_models.TryGetValue(modelId, out var loaded)) return loaded;
            var folder = modelId == BuiltInModel.Id ? store.EnsureBuiltIn() : store.ModelFolder(modelId);
            loaded = new LoadedModel(new DiffusersModel(modelId, folder, settings));
            _models[modelId] = loaded;
            return loaded;
        }
    }

    private (LoraAdapter Adapter, bool Synthesized) Adapter(LoadedModel loaded, string id)
    {
        lock (_lock)
        {
            if (loaded.Adapters.TryGetValue(id, out var cached)) return (cached, store.LoraFile(id) is null);
            LoraAdapter adapter;
            var synthesized = false;
            if (store.LoraFile(id) is { } file)
            {
                try
                {
                    adapter = LoraAdapter.FromSafeTensors(id, SafeTensorsFile.ReadFile(file));
                }
                catch (SafeTensorsException e)
                {
                    throw new EngineRequestException("lora_model", $"LoRA '{id}' could not be read: {e.Message}");
                }
            }
            else if (options.StrictModels)
                throw new ModelNotFoundException("lora_model", id, "LoRA");
            else
            {
                loaded.SynthesisTargets ??= LoraMerger.SynthesisTargets(loaded.Model.UnetPath);
                var relative = loaded.Model.Id == BuiltInModel.Id ? SyntheticRelativeStrengthBuiltIn : SyntheticRelativeStrength;
                // delta @ x has about magnitude·|x| / (3·sqrt(in)) per output; W @ x about rms·|x|: scale to a share of W.
                var targets = loaded.SynthesisTargets.SelectMany(t =>
                    SyntheticLora.Create(id, [t.Shape], SyntheticRank, (float)(3 * relative * Math.Sqrt(t.Shape.InFeatures) * t.Rms)).Targets.Values);
                adapter = new LoraAdapter(id, targets);
                synthesized = true;
            }
            loaded.Adapters[id] = adapter;
            return (adapter, synthesized);
        }
    }

    /// <summary>The session with the adapters' <paramref name="module"/> targets merged, or null when none applies.</summary>
    private ModelSession? Variant(Dictionary<string, ModelSession> cache, string path, List<WeightedAdapter> adapters,
        LoraModule module, DiffusersModel model, List<string> notes, TextualInversion? embedding = null)
    {
        var relevant = adapters.Where(a => a.Adapter.Targets.Values.Any(t => t.Module == module)).ToList();
        if (relevant.Count == 0 && embedding is null) return null;
        var key = string.Join("|", relevant.Select(a => a.Adapter.Id + ":" + a.Strength.ToString("R", CultureInfo.InvariantCulture)))
            + (embedding is null ? "" : "|embedding:" + embedding.Id);
        lock (_lock)
        {
            if (cache.TryGetValue(key, out var session)) return session;
            var (initializers, unmatched) = LoraMerger.Merge(path, module, relevant);
            if (unmatched.Count > 0)
                notes.Add($"{unmatched.Count} LoRA target(s) have no matching {module} weight in model '{model.Id}' (e.g. {unmatched[0]}).");
            if (embedding?.ExtendedTable(path) is { } table)
                initializers[TextualInversion.TokenEmbeddingName] = table;
            else if (embedding is not null)
                notes.Add($"embeddings_model '{embedding.Id}' not applied: the text encoder has no '{TextualInversion.TokenEmbeddingName}' initializer.");
            if (initializers.Count == 0)
            {
                foreach (var t in initializers.Values) t.Dispose();
                return null;
            }
            session = model.OpenWithInitializers(path, initializers);
            if (cache.Count >= options.MaxCachedSessions)
            {
                // Oldest first: Dictionary keeps insertion order while nothing is removed in between.
                var oldest = cache.Keys.First();
                cache.Remove(oldest, out var old);
                // With one generation at a time nothing else can hold it; otherwise keep it until Dispose.
                if (options.MaxConcurrentGenerations <= 1) old?.Dispose();
                else if (old is not null) _retired.Add(old);
            }
            cache[key] = session;
            return session;
        }
    }

    /// <summary>The embedding file for <paramref name="id"/>, or (lenient) one synthesized from the id; cached per model.</summary>
    private TextualInversion? Embedding(LoadedModel loaded, string id, List<string> notes)
    {
        lock (_lock)
        {
            if (loaded.Embeddings.TryGetValue(id, out var cached)) return cached;
            var statistics = TextualInversion.TableStatistics(loaded.Model.TextEncoderPath);
            if (statistics is not { } stats)
            {
                notes.Add($"embeddings_model '{id}' not applied: the text encoder has no '{TextualInversion.TokenEmbeddingName}' initializer.");
                return null;
            }
            TextualInversion embedding;
            if (store.EmbeddingFile(id) is { } file)
            {
                try { embedding = TextualInversion.Read(id, file, stats.Hidden); }
                catch (SafeTensorsException e) { throw new EngineRequestException("embeddings_model", e.Message); }
            }
            else if (options.StrictModels)
                throw new ModelNotFoundException("embeddings_model", id, "Embedding");
            else
                embedding = TextualInversion.Synthesize(id, stats.Hidden, stats.Rms, loaded.Model.Id == BuiltInModel.Id ? SyntheticEmbeddingScaleBuiltIn : 1.0);
            loaded.Embeddings[id] = embedding;
            return embedding;
        }
    }

    private (ModelSession Decoder, ModelSession? Encoder) Vae(string id, string folder, DiffusersModel model)
    {
        lock (_lock)
        {
            if (_vaes.TryGetValue(id, out var vae)) return vae;
            var encoderPath = Path.Combine(folder, "vae_encoder", "model.onnx");
            vae = (model.Open(Path.Combine(folder, "vae_decoder", "model.onnx")), File.Exists(encoderPath) ? model.Open(encoderPath) : null);
            _vaes[id] = vae;
            return vae;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var m in _models.Values) m.Dispose();
            _models.Clear();
            foreach (var (decoder, encoder) in _vaes.Values)
            {
                decoder.Dispose();
                encoder?.Dispose();
            }
            _vaes.Clear();
            foreach (var s in _retired) s.Dispose();
            _retired.Clear();
        }
    }
}
