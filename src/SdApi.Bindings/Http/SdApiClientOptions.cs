namespace SdApi.Bindings.Http;

/// <summary>Client settings. The API key is sent in each request body as <c>key</c>; it never appears in
/// <see cref="ToString"/>, logs, traces or exception messages.</summary>
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

    /// <summary>How many times a call is repeated after a retryable failure; 0 switches retries off.
    /// fetch and fetch/{id} retry on 429, 5xx, network errors and timeouts. Operations that start a paid job
    /// (generation, model_reload) retry only when the first attempt certainly started nothing: 429 and a connection
    /// refused or a DNS failure before any byte was sent (see <see cref="RetryGenerationRiskingDuplicateJobs"/>).</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>Off by default. When on, operations that start a paid job are also retried after a 5xx, a timeout or a
    /// connection lost after sending: each such retry may create, and bill, a second job.</summary>
    public bool RetryGenerationRiskingDuplicateJobs { get; set; }

    /// <summary>First retry delay; later ones grow exponentially, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest single wait between retries (also caps a server's <c>retry_after</c>).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long <c>WaitForCompletionAsync</c> / <c>GenerateAsync</c> poll before giving up with
    /// <see cref="SdApiPollingTimeoutException"/>.</summary>
    public TimeSpan PollingTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Shortest wait between polls (used when the answer has no <c>eta</c>, then doubled up to the maximum).</summary>
    public TimeSpan PollingMinDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between polls, whatever <c>eta</c> says.</summary>
    public TimeSpan PollingMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    public override string ToString()
        => $"SdApiClientOptions {{ BaseAddress = {BaseAddress}, ApiKey = {(string.IsNullOrEmpty(ApiKey) ? "(none)" : "***")}, ValidateRequests = {ValidateRequests}, MaxRetries = {MaxRetries}, RetryGenerationRiskingDuplicateJobs = {RetryGenerationRiskingDuplicateJobs} }}";
}
