using System.Text.Json;
using System.Text.Json.Nodes;
using SdApi.Bindings.Json;
using SdApi.Bindings.Server;

namespace SdApi.Server.Errors;

/// <summary>An answer in the API's wire form: HTTP status plus JSON body. Handlers build these; the generated stubs
/// get them as <see cref="OperationResult"/>, plain routes as <see cref="IResult"/>.</summary>
public sealed record ApiReply(int StatusCode, JsonObject Body)
{
    /// <summary>The body already serialized (a finished job's fetch answer is built once and replayed).</summary>
    public byte[]? Utf8 { get; init; }

    public IResult ToResult() => Utf8 is { } bytes
        ? Results.Text(System.Text.Encoding.UTF8.GetString(bytes), "application/json", statusCode: StatusCode)
        : Results.Text(Body.ToJsonString(), "application/json", statusCode: StatusCode);

    public OperationResult ToOperationResult()
    {
        // 429 keeps the API's {status, message, retry_after} and adds a Retry-After header.
        if (StatusCode == StatusCodes.Status429TooManyRequests
            && Body["retry_after"] is JsonValue retry && retry.TryGetValue<int>(out var seconds)
            && Body["message"] is JsonValue message && message.TryGetValue<string>(out var text))
            return OperationResult.RateLimited(text, seconds);
        return OperationResult.Status(StatusCode, new Writable(Body, Utf8));
    }

    private sealed class Writable(JsonObject body, byte[]? utf8) : IJsonWritable
    {
        public void WriteJson(Utf8JsonWriter writer)
        {
            if (utf8 is not null)
                writer.WriteRawValue(utf8, skipInputValidation: true);
            else
                body.WriteTo(writer);
        }
    }
}
