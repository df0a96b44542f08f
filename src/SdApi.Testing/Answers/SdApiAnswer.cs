namespace SdApi.Testing;

/// <summary>What the mock answers one request with. The bodies are the spec's documented examples of the operation
/// (the ones the exported WireMock mappings answer), adjusted where the answer says so (job id, eta, retry_after).</summary>
public sealed record SdApiAnswer
{
    private SdApiAnswer(AnswerKind kind) => Kind = kind;

    internal AnswerKind Kind { get; }

    internal int HttpStatus { get; private init; } = 200;

    internal string? Message { get; private init; }

    internal string? Field { get; private init; }

    internal double? EtaSeconds { get; private init; }

    internal int Polls { get; private init; } = 1;

    internal int? RetryAfterSeconds { get; private init; }

    internal string? RawBody { get; private init; }

    /// <summary>Wait before answering (the client sees a slow provider).</summary>
    public TimeSpan Delay { get; private init; }

    /// <summary>The documented success (HTTP 200, <c>status: success</c>).</summary>
    public static SdApiAnswer Success() => new(AnswerKind.Success);

    /// <summary>A generate operation answers <c>processing</c> with a new job id; fetching that job answers processing
    /// <paramref name="polls"/> times, then success. <paramref name="etaSeconds"/> null keeps the example's eta.</summary>
    public static SdApiAnswer Processing(double? etaSeconds = null, int polls = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(polls);
        return new(AnswerKind.Processing) { EtaSeconds = etaSeconds, Polls = polls };
    }

    /// <summary>HTTP 200 with <c>status: error</c>: the documented example, or <paramref name="message"/>.</summary>
    public static SdApiAnswer Error(string? message = null) => new(AnswerKind.Error) { Message = message };

    /// <summary>HTTP 200 with <c>status: failed</c> (the documented example).</summary>
    public static SdApiAnswer Failed() => new(AnswerKind.Failed);

    /// <summary>HTTP 429 with <c>retry_after</c> (null keeps the example's value) and a Retry-After header.</summary>
    public static SdApiAnswer RateLimited(int? retryAfterSeconds = null) => new(AnswerKind.RateLimited) { HttpStatus = 429, RetryAfterSeconds = retryAfterSeconds };

    /// <summary>A 5xx answer in the API's error shape (the spec's example for that status when it has one).</summary>
    public static SdApiAnswer ServerError(int httpStatus = 503)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(httpStatus, 500);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(httpStatus, 599);
        return new(AnswerKind.ServerError) { HttpStatus = httpStatus };
    }

    /// <summary>HTTP 400 in the validation-error shape naming <paramref name="field"/>, as if the provider refused a
    /// body the client's validator accepted.</summary>
    public static SdApiAnswer ValidationError(string field, string message)
    {
        ArgumentException.ThrowIfNullOrEmpty(field);
        ArgumentException.ThrowIfNullOrEmpty(message);
        return new(AnswerKind.ValidationError) { HttpStatus = 400, Field = field, Message = message };
    }

    /// <summary>The connection is aborted before any byte of an answer (the client sees a network error). WireMock.Net's
    /// own faults answer HTTP 200 with a broken body; this one resets the connection.</summary>
    public static SdApiAnswer ConnectionReset() => new(AnswerKind.ConnectionReset);

    /// <summary>Any status and JSON body, as given.</summary>
    public static SdApiAnswer Json(int httpStatus, string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return new(AnswerKind.Raw) { HttpStatus = httpStatus, RawBody = body };
    }

    /// <summary>This answer, after <paramref name="delay"/>.</summary>
    public SdApiAnswer After(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        return this with { Delay = delay };
    }

    public override string ToString() => Kind switch
    {
        AnswerKind.Processing => $"processing (eta {EtaSeconds?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "example"}, {Polls} poll(s))",
        AnswerKind.RateLimited => $"429 (retry_after {RetryAfterSeconds?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "example"})",
        AnswerKind.ServerError or AnswerKind.Raw => $"HTTP {HttpStatus}",
        AnswerKind.ValidationError => $"400 naming {Field}",
        _ => Kind.ToString(),
    } + (Delay > TimeSpan.Zero ? $" after {Delay}" : "");
}

internal enum AnswerKind
{
    Success,
    Processing,
    Error,
    Failed,
    RateLimited,
    ServerError,
    ValidationError,
    ConnectionReset,
    Raw,
}
