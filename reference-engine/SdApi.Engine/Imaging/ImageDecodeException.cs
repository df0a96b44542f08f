namespace SdApi.Engine.Imaging;

/// <summary>Thrown when input bytes are not an image this engine can read; the message says why and is safe to
/// show to an API caller (the server maps it to its error shape).</summary>
public sealed class ImageDecodeException : Exception
{
    public ImageDecodeException() { }

    public ImageDecodeException(string message) : base(message) { }

    public ImageDecodeException(string message, Exception inner) : base(message, inner) { }
}
