using SdApi.Bindings.Validation;

namespace SdApi.Bindings.Http;

/// <summary>The API could not be reached or answered something that is not an outcome (e.g. an HTML 502 page).
/// Outcomes (including <c>status: error</c>) are results, not exceptions. Messages never contain the API key.</summary>
public class SdApiException : Exception
{
    public SdApiException() { }
    public SdApiException(string message) : base(message) { }
    public SdApiException(string message, Exception innerException) : base(message, innerException) { }

    public SdApiException(string operationId, string message, RawResponse? response, Exception? innerException = null)
        : base($"{operationId}: {message}", innerException)
    {
        OperationId = operationId;
        Response = response;
    }

    public string? OperationId { get; }
    public RawResponse? Response { get; }
}

/// <summary>The request broke the spec's rules; nothing was sent. <see cref="Result"/> holds every violation.</summary>
public sealed class SdApiValidationException : SdApiException
{
    public SdApiValidationException() : this("", ValidationResult.Valid) { }
    public SdApiValidationException(string message) : base(message) => Result = ValidationResult.Valid;
    public SdApiValidationException(string message, Exception innerException) : base(message, innerException) => Result = ValidationResult.Valid;

    public SdApiValidationException(string operationId, ValidationResult result)
        : base(operationId, "the request is invalid: " + string.Join("; ", result.Violations.Select(v => $"{v.Field}: {v.Message}")), null)
        => Result = result;

    public ValidationResult Result { get; }
}
