using Microsoft.ML.OnnxRuntime;

namespace SdApi.Engine.Pipeline;

/// <summary>How a <see cref="DiffusionEngine"/> is set up.</summary>
public sealed record EngineOptions
{
    /// <summary>The model store: <c>models/&lt;id&gt;/</c>, <c>loras/&lt;id&gt;.safetensors</c>, <c>embeddings/&lt;id&gt;.safetensors</c>, <c>vae/&lt;id&gt;/</c>.</summary>
    public string ModelStoreDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "sdapi-models");
    /// <summary>ORT intra-op threads per session; 0 = ORT's default (one per core).</summary>
    public int IntraOpThreads { get; init; }
    public GraphOptimizationLevel OptimizationLevel { get; init; } = GraphOptimizationLevel.ORT_ENABLE_ALL;
    /// <summary>
    /// Lets ONNX Runtime record its usage telemetry (off by default: ORT otherwise writes events into the user's cache
    /// folder, <c>Microsoft/DeveloperTools/.onnxruntime</c>). Process-wide in ORT: the last engine created sets it.
    /// </summary>
    public bool AllowOrtTelemetry { get; init; }
    /// <summary>
    /// Strict: an unknown model, LoRA, embeddings or VAE id is an error naming it. Lenient (default): an unknown model
    /// id runs the built-in model, an unknown LoRA id gets an adapter synthesized from the id, an unknown embeddings
    /// id gets a synthesized embedding, and an unknown VAE id keeps the model's own VAE (noted in meta).
    /// </summary>
    public bool StrictModels { get; init; }
    /// <summary>How many generations run at once (the rest wait).</summary>
    public int MaxConcurrentGenerations { get; init; } = 1;
    /// <summary>How many (model, adapters) UNet sessions stay cached.</summary>
    public int MaxCachedSessions { get; init; } = 8;
}
