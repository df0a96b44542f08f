// Before: the hand-written ORT C-API binding the engine used until Microsoft.ML.OnnxRuntime (commit c168fe7), kept only
// so EngineBench measures it against the managed API in the same run, over the same native library. Not used elsewhere.
namespace EngineBench.Legacy;

/// <summary>An error reported by ONNX Runtime (an <c>OrtStatus</c>), carrying ORT's own message and error code.</summary>
internal sealed class OrtException : Exception
{
    public OrtException() { }
    public OrtException(string message) : base(message) { }
    public OrtException(string message, Exception inner) : base(message, inner) { }
    public OrtException(string message, int errorCode) : base($"ONNX Runtime: {message}") => ErrorCode = errorCode;

    /// <summary>ORT's <c>OrtErrorCode</c> (0 when the error did not come from ORT).</summary>
    public int ErrorCode { get; }
}
