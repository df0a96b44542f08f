using System.Text.Json;
using SdApi.Bindings.Json;
using SdApi.Bindings.Validation;

namespace SdApi.Bindings.Server;

/// <summary>What a server handler answers: an HTTP status, optional headers and a JSON body (a generated model, or an
/// error in the API's shape <c>{"status":"error","message":...}</c>).</summary>
public sealed class OperationResult
{
    private static readonly JsonEncodedText StatusName = JsonEncodedText.Encode("status");
    private static readonly JsonEncodedText MessageName = JsonEncodedText.Encode("message");
    private static readonly JsonEncodedText RetryAfterName = JsonEncodedText.Encode("retry_after");

    private readonly IJsonWritable? _body;
    private readonly string? _message;
    private readonly int? _retryAfter;

    private OperationResult(int statusCode, IJsonWritable? body, string? message, int? retryAfter)
    {
        StatusCode = statusCode;
        _body = body;
        _message = message;
        _retryAfter = retryAfter;
    }

    public int StatusCode { get; }

    /// <summary>Extra response headers (e.g. Retry-After).</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>The body model, when the handler gave one.</summary>
    public IJsonWritable? Body => _body;

    public static OperationResult Ok(IJsonWritable body) => new(200, body ?? throw new ArgumentNullException(nameof(body)), null, null);

    public static OperationResult Status(int statusCode, IJsonWritable body) => new(statusCode, body ?? throw new ArgumentNullException(nameof(body)), null, null);

    /// <summary><c>{"status":"error","message":"..."}</c> with the given HTTP status.</summary>
    public static OperationResult Error(int statusCode, string message) => new(statusCode, null, message, null);

    /// <summary>429 with <c>retry_after</c> in the body and a Retry-After header.</summary>
    public static OperationResult RateLimited(string message, int retryAfterSeconds)
        => new(429, null, message, retryAfterSeconds)
        {
            Headers = new Dictionary<string, string> { ["Retry-After"] = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        };

    /// <summary>400 with every violation, keyed by field.</summary>
    public static OperationResult Invalid(ValidationResult validation) => new(400, validation ?? throw new ArgumentNullException(nameof(validation)), null, null);

    public static OperationResult MalformedJson() => Error(400, "The request body is not valid JSON.");

    public static OperationResult UnsupportedMediaType() => Error(415, "The request body must be application/json.");

    public static OperationResult TooLarge(long maxBytes) => Error(413, $"The request body is too large (at most {maxBytes} bytes).");

    public void WriteJson(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (_body is not null)
        {
            _body.WriteJson(writer);
            return;
        }
        writer.WriteStartObject();
        writer.WriteString(StatusName, "error");
        writer.WriteString(MessageName, _message);
        if (_retryAfter is { } seconds) writer.WriteNumber(RetryAfterName, seconds);
        writer.WriteEndObject();
    }

    public byte[] ToUtf8() => WireWriter.ToUtf8(new Writable(this));

    private sealed class Writable(OperationResult result) : IJsonWritable
    {
        public void WriteJson(Utf8JsonWriter writer) => result.WriteJson(writer);
    }
}
