namespace SdApi.Bindings.Http;

/// <summary>Client settings. The API key is sent in each request body as <c>key</c>; it never appears in
/// <see cref="ToString"/>, logs or exception messages.</summary>
public sealed class SdApiClientOptions
{
    /// <summary>Where the API lives; paths from the spec are appended. When null: the HttpClient's BaseAddress, else the
    /// first <c>servers</c> URL of openapi.yaml (<c>SdApiClient.DefaultBaseAddress</c>).</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>The API key, put into requests that carry none.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Validate requests against the spec's rules before sending (default on); invalid ones throw
    /// <see cref="SdApiValidationException"/> without a network call.</summary>
    public bool ValidateRequests { get; set; } = true;

    /// <summary>Retries after 429 (honouring <c>retry_after</c> / Retry-After), 5xx and network errors. 0 switches retries off.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>First retry delay; later ones grow exponentially, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest single wait between retries (also caps a server's <c>retry_after</c>).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long <c>WaitForCompletionAsync</c> polls before giving up.</summary>
    public TimeSpan PollingTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Shortest wait between polls (used when the answer has no <c>eta</c>, then doubled up to the maximum).</summary>
    public TimeSpan PollingMinDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between polls, whatever <c>eta</c> says.</summary>
    public TimeSpan PollingMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    public override string ToString()
        => $"SdApiClientOptions {{ BaseAddress = {BaseAddress}, ApiKey = {(string.IsNullOrEmpty(ApiKey) ? "(none)" : "***")}, ValidateRequests = {ValidateRequests}, MaxRetries = {MaxRetries} }}";
}
