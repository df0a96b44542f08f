namespace SdApi.Engine.Ort;

/// <summary>An error reported by ONNX Runtime (an <c>OrtStatus</c>), carrying ORT's own message and error code.</summary>
public sealed class OrtException : Exception
{
    public OrtException() { }
    public OrtException(string message) : base(message) { }
    public OrtException(string message, Exception inner) : base(message, inner) { }
    public OrtException(string message, int errorCode) : base($"ONNX Runtime: {message}") => ErrorCode = errorCode;

    /// <summary>ORT's <c>OrtErrorCode</c> (0 when the error did not come from ORT).</summary>
    public int ErrorCode { get; }
}
