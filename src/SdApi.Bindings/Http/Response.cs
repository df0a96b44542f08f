namespace SdApi.Bindings.Http;

/// <summary>The HTTP answer behind a typed result (Azure SDK style): status, headers and the body bytes as received.</summary>
public sealed class RawResponse
{
    private readonly System.Net.Http.Headers.HttpHeaders[] _headerSources;
    private IReadOnlyDictionary<string, IReadOnlyList<string>>? _headers;

    public RawResponse(int status, string? reasonPhrase, IReadOnlyDictionary<string, IReadOnlyList<string>> headers, ReadOnlyMemory<byte> content, int attempts)
        : this(status, reasonPhrase, [], content, attempts)
        => _headers = headers;

    /// <summary>Headers are copied into <see cref="Headers"/> only when someone asks (most callers never do).</summary>
    internal RawResponse(int status, string? reasonPhrase, System.Net.Http.Headers.HttpHeaders[] headerSources, ReadOnlyMemory<byte> content, int attempts)
    {
        Status = status;
        ReasonPhrase = reasonPhrase;
        _headerSources = headerSources;
        Content = content;
        Attempts = attempts;
    }

    public int Status { get; }
    public string? ReasonPhrase { get; }

    public IReadOnlyDictionary<string, IReadOnlyList<string>> Headers => _headers ??= CopyHeaders();

    private Dictionary<string, IReadOnlyList<string>> CopyHeaders()
    {
        var headers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var source in _headerSources)
            foreach (var h in source) headers[h.Key] = h.Value.ToArray();
        return headers;
    }
    public ReadOnlyMemory<byte> Content { get; }

    /// <summary>How many HTTP attempts it took (1 without retries).</summary>
    public int Attempts { get; }

    public string ContentText => System.Text.Encoding.UTF8.GetString(Content.Span);

    public override string ToString() => $"HTTP {Status} {ReasonPhrase} ({Content.Length} bytes, {Attempts} attempt(s))";
}

/// <summary>A typed result plus the raw HTTP answer. Converts implicitly to <typeparamref name="T"/>.</summary>
public sealed class Response<T>
{
    private readonly RawResponse _raw;

    public Response(T value, RawResponse raw)
        : this(value, raw, null)
    {
    }

    public Response(T value, RawResponse raw, IReadOnlyList<Validation.RuleViolation>? warnings)
    {
        Value = value;
        _raw = raw;
        Warnings = warnings ?? Array.Empty<Validation.RuleViolation>();
    }

    public T Value { get; }

    /// <summary>The warnings the request's validation gave (rules of severity warning, spec/rules.md): the request was
    /// sent, but a value is doubtful. Empty when there were none or validation is switched off.</summary>
    public IReadOnlyList<Validation.RuleViolation> Warnings { get; }

    public int Status => _raw.Status;

    public RawResponse GetRawResponse() => _raw;

#pragma warning disable CA2225 // Value is the named alternative
    public static implicit operator T(Response<T> response) => response is null ? default! : response.Value;
#pragma warning restore CA2225

    public override string ToString() => $"{_raw}: {Value}";
}
