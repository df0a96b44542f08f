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

/// <summary>Why a request that starts a paid job ended without a usable answer.</summary>
public enum SdApiUncertainFailure
{
    /// <summary>The server answered 5xx: it may have queued the job before failing.</summary>
    ServerError,

    /// <summary>No answer in time (HttpClient.Timeout): the request was sent and may be running.</summary>
    Timeout,

    /// <summary>The connection broke after the request was (partly) sent.</summary>
    ConnectionLost,
}

/// <summary>A request that starts a paid job (generation, model_reload) was sent, but the answer says neither that a
/// job exists nor that none does. The client did not send it again (that could bill twice; see
/// <see cref="SdApiClientOptions.RetryGenerationRiskingDuplicateJobs"/>). Look the job up before resending: the
/// webhook with <see cref="TrackId"/>, or the account's request list.</summary>
public sealed class SdApiJobMayExistException : SdApiException
{
    public SdApiJobMayExistException() { }
    public SdApiJobMayExistException(string message) : base(message) { }
    public SdApiJobMayExistException(string message, Exception innerException) : base(message, innerException) { }

    public SdApiJobMayExistException(string operationId, SdApiUncertainFailure failure, string? trackId, int attempts, RawResponse? response, Exception? innerException)
        : base(operationId, Describe(failure, trackId, attempts, response), response, innerException)
    {
        Failure = failure;
        TrackId = trackId;
        Attempts = attempts;
    }

    public SdApiUncertainFailure Failure { get; }

    /// <summary>The request's <c>track_id</c> when the caller set one (the webhook carries it back), else null.</summary>
    public string? TrackId { get; }

    /// <summary>How many times the request was sent.</summary>
    public int Attempts { get; }

    private static string Describe(SdApiUncertainFailure failure, string? trackId, int attempts, RawResponse? response)
    {
        var what = failure switch
        {
            SdApiUncertainFailure.ServerError => $"HTTP {response?.Status}",
            SdApiUncertainFailure.Timeout => "no answer before the timeout",
            _ => "the connection was lost after sending",
        };
        var track = trackId is null ? "no track_id was set" : $"track_id {trackId}";
        return $"{what} after {attempts} attempt(s); a job may have been created and billed ({track}); not resent automatically";
    }
}

/// <summary>Polling reached <see cref="SdApiClientOptions.PollingTimeout"/> while the job was still processing.
/// Derives from <see cref="TimeoutException"/>; <see cref="SdApiPollingTimeoutException{T}"/> carries the last answer.</summary>
public class SdApiPollingTimeoutException : TimeoutException
{
    public SdApiPollingTimeoutException() { }
    public SdApiPollingTimeoutException(string message) : base(message) { }
    public SdApiPollingTimeoutException(string message, Exception innerException) : base(message, innerException) { }

    public SdApiPollingTimeoutException(string message, int polls, TimeSpan timeout) : base(message)
    {
        Polls = polls;
        Timeout = timeout;
    }

    /// <summary>How many fetch calls were made.</summary>
    public int Polls { get; }

    /// <summary>The polling deadline that was reached.</summary>
    public TimeSpan Timeout { get; }
}

/// <summary>The polling deadline passed; <see cref="LastResponse"/> is the last (processing) answer, with its id and eta.</summary>
public sealed class SdApiPollingTimeoutException<T> : SdApiPollingTimeoutException
{
    public SdApiPollingTimeoutException(Response<T> lastResponse, int polls, TimeSpan timeout)
        : base($"The job was still processing after {timeout} ({polls} polls).", polls, timeout)
        => LastResponse = lastResponse ?? throw new ArgumentNullException(nameof(lastResponse));

    public Response<T> LastResponse { get; }
}
