using SdApi.Engine.Models;
using SdApi.Engine.Ort;
using SdApi.Engine.Text;

namespace SdApi.Engine.Pipeline;

/// <summary>The sessions one request runs on, after the engine resolved model, adapters, embeddings and VAE.</summary>
internal sealed record PipelineComponents(
    DiffusersModel Model,
    ClipTokenizer Tokenizer,
    ModelSession TextEncoder,
    ModelSession Unet,
    ModelSession VaeDecoder,
    ModelSession? VaeEncoder,
    TextualInversion? Embedding = null);
