using SdApi.Bindings;
using SdApi.Bindings.Json;
using SdApi.Bindings.Validation;

namespace SdApi.Testing;

/// <summary>One request the mock received, with what it answered.</summary>
public sealed class SdApiReceivedRequest
{
    internal SdApiReceivedRequest(long sequence, DateTimeOffset receivedAt, string method, string path, string body, SdApiOperation? operation)
    {
        Sequence = sequence;
        ReceivedAt = receivedAt;
        Method = method;
        Path = path;
        Body = body;
        Operation = operation;
    }

    /// <summary>0, 1, 2... in arrival order.</summary>
    public long Sequence { get; }

    /// <summary>Arrival time on <see cref="SdApiMockOptions.TimeProvider"/>.</summary>
    public DateTimeOffset ReceivedAt { get; }

    public string Method { get; }

    public string Path { get; }

    /// <summary>The body as sent.</summary>
    public string Body { get; }

    /// <summary>The operation of the path (null for a path the spec does not have).</summary>
    public SdApiOperation? Operation { get; }

    public string? OperationId => Operation?.OperationId;

    /// <summary>The body read into the operation's generated request model (null when it is not JSON).</summary>
    public IJsonWritable? Request { get; internal set; }

    /// <summary>What the generated validator said about the body (null when it is not JSON or the path is unknown).</summary>
    public ValidationResult? Validation { get; internal set; }

    /// <summary>The HTTP status answered; null while the answer is pending or when the connection was reset.</summary>
    public int? Status { get; internal set; }

    /// <summary>The connection was reset instead of answering.</summary>
    public bool ConnectionReset { get; internal set; }

    public override string ToString() =>
        $"#{Sequence} {Method} {Path} -> {(ConnectionReset ? "reset" : Status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "pending")}: {(Body.Length > 300 ? Body[..300] + "..." : Body)}";
}

/// <summary>A received request read as <typeparamref name="TRequest"/>.</summary>
public sealed record SdApiReceived<TRequest>(TRequest Request, SdApiReceivedRequest Raw)
    where TRequest : class;
