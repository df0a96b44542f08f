using System.Text.Json;
using SdApi.Bindings.Json;
using SdApi.Bindings.Server;

namespace SdApi.Server.Errors;

/// <summary>An answer in the API's wire form: HTTP status plus JSON body (a generated response model).
/// Handlers build these; the generated stubs get them as <see cref="OperationResult"/>, plain routes as <see cref="IResult"/>.</summary>
public sealed record ApiReply(int StatusCode, IJsonWritable Body)
{
    /// <summary>The body already serialized (a finished job's fetch answer is built once and replayed).</summary>
    public byte[]? Utf8 { get; init; }

    /// <summary>Set on a 429: <c>retry_after</c> seconds, also sent as a Retry-After header.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>Set on a 429: the message beside <c>retry_after</c>.</summary>
    public string? RateLimitMessage { get; init; }

    /// <summary>An answer serialized before (a finished job's fetch answer, replayed).</summary>
    public static ApiReply FromUtf8(int statusCode, byte[] utf8) => new(statusCode, new Raw(utf8)) { Utf8 = utf8 };

    public byte[] ToUtf8() => Utf8 ?? WireWriter.ToUtf8(Body);

    public IResult ToResult() => Results.Text(ToUtf8(), "application/json", statusCode: StatusCode);

    public OperationResult ToOperationResult()
    {
        // 429 keeps the API's {status, message, retry_after} and adds a Retry-After header.
        if (RetryAfterSeconds is { } seconds && RateLimitMessage is { } text)
            return OperationResult.RateLimited(text, seconds);
        return OperationResult.Status(StatusCode, Utf8 is { } bytes ? new Raw(bytes) : Body);
    }

    private sealed class Raw(byte[] utf8) : IJsonWritable
    {
        public void WriteJson(Utf8JsonWriter writer) => writer.WriteRawValue(utf8, skipInputValidation: true);
    }
}
