using SdApi.Bindings;

namespace SdApi.Server.Errors;

/// <summary>The API's error bodies, written by the generated <see cref="ErrorResponse"/> / <see cref="RateLimitResponse"/>:
/// <c>{"status":"error","message":...}</c>, with the HTTP status the reference server uses (the live API often answers
/// 200; clients read <c>status</c>).</summary>
public static class ApiError
{
    public const string InvalidKey = "Invalid Api Key";

    public static ApiReply Message(int httpStatus, string message) =>
        new(httpStatus, new ErrorResponse { Status = "error", Message = message });

    /// <summary>The validation shape: field -> list of messages.</summary>
    public static ApiReply Fields(IReadOnlyDictionary<string, List<string>> errors, int httpStatus = StatusCodes.Status400BadRequest)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return new(httpStatus, new ErrorResponse
        {
            Status = "error",
            FieldErrors = errors.ToDictionary(e => e.Key, e => (IReadOnlyList<string>)e.Value, StringComparer.Ordinal),
        });
    }

    public static ApiReply Field(string field, string message, int httpStatus = StatusCodes.Status400BadRequest) =>
        Fields(new Dictionary<string, List<string>> { [field] = [message] }, httpStatus);

    public static ApiReply RateLimited(int maxQueued, int retryAfterSeconds) =>
        TooManyRequests($"Rate limit exceeded. Maximum {maxQueued} queued requests allowed.", retryAfterSeconds);

    /// <summary>A 429 in the API's rate-limit shape (<c>retry_after</c> in the body and the Retry-After header).</summary>
    public static ApiReply TooManyRequests(string message, int retryAfterSeconds)
    {
        return new ApiReply(StatusCodes.Status429TooManyRequests, new RateLimitResponse { Status = "error", Message = message, RetryAfter = retryAfterSeconds })
        {
            RetryAfterSeconds = retryAfterSeconds,
            RateLimitMessage = message,
        };
    }
}
