using System.Text.Json;
using System.Text.Json.Nodes;
using SdApi.Bindings.Json;
using SdApi.Bindings.Server;

namespace SdApi.Server.Errors;

/// <summary>An answer in the API's wire form: HTTP status plus JSON body (a generated response model, or an error body).
/// Handlers build these; the generated stubs get them as <see cref="OperationResult"/>, plain routes as <see cref="IResult"/>.</summary>
public sealed record ApiReply(int StatusCode, IJsonWritable Body)
{
    public ApiReply(int statusCode, JsonObject body) : this(statusCode, new JsonObjectBody(body)) { }

    /// <summary>The body already serialized (a finished job's fetch answer is built once and replayed).</summary>
    public byte[]? Utf8 { get; init; }

    /// <summary>Set on a 429: <c>retry_after</c> seconds, also sent as a Retry-After header.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>Set on a 429: the message beside <c>retry_after</c>.</summary>
    public string? RateLimitMessage { get; init; }

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

    private sealed class JsonObjectBody(JsonObject body) : IJsonWritable
    {
        public void WriteJson(Utf8JsonWriter writer) => body.WriteTo(writer);
    }
}
