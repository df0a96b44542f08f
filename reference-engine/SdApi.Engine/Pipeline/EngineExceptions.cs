namespace SdApi.Engine.Pipeline;

/// <summary>A request the engine cannot run as given; <see cref="Field"/> names the API field at fault.</summary>
public class EngineRequestException : Exception
{
    public EngineRequestException() { }
    public EngineRequestException(string message) : base(message) { }
    public EngineRequestException(string message, Exception inner) : base(message, inner) { }
    public EngineRequestException(string field, string message) : base(message) => Field = field;

    public string? Field { get; }
}

/// <summary>A model, LoRA, embeddings or VAE id the store does not have (strict mode).</summary>
public sealed class ModelNotFoundException : EngineRequestException
{
    public ModelNotFoundException() { }
    public ModelNotFoundException(string message) : base(message) { }
    public ModelNotFoundException(string message, Exception inner) : base(message, inner) { }
    public ModelNotFoundException(string field, string id, string kind) : base(field, $"{kind} '{id}' was not found in the model store.") => Id = id;

    public string? Id { get; }
}
