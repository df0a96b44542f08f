namespace SdApi.Server.Generation;

/// <summary>A generation that cannot run as asked; the message is safe to show the caller (fetch, webhook).</summary>
public sealed class GenerationException : Exception
{
    public GenerationException() { }
    public GenerationException(string message) : base(message) { }
    public GenerationException(string message, Exception inner) : base(message, inner) { }
}
