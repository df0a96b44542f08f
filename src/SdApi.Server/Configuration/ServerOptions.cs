namespace SdApi.Server.Configuration;

/// <summary>Everything under the <c>SdApi</c> configuration section. Every value has an embedded default, so
/// <c>dotnet run --project src/SdApi.Server</c> works with no configuration file at all.</summary>
public sealed class ServerOptions
{
    public const string Section = "SdApi";

    /// <summary>Accepted API keys. When empty the server creates one on first start and keeps it in the data folder.</summary>
    public List<string> Keys { get; set; } = [];

    /// <summary>Where jobs (SQLite), outputs, the generated key and the model store live.</summary>
    public string DataDir { get; set; } = ".sdapi-data";

    /// <summary>When true, unknown model ids and LoRA ids get the API's not-found error instead of the built-in model.</summary>
    public bool StrictModels { get; set; }

    /// <summary>Base URL written into output links; when empty, the scheme and host of the incoming request.</summary>
    public string? PublicBaseUrl { get; set; }

    public JobOptions Jobs { get; set; } = new();
    public LimitOptions Limits { get; set; } = new();
    public ModelOptions Models { get; set; } = new();
    public UrlFetchOptions UrlFetch { get; set; } = new();
    public WebhookOptions Webhooks { get; set; } = new();
    public EngineSettings Engine { get; set; } = new();
}

public sealed class EngineSettings
{
    /// <summary>ONNX Runtime threads per session; 0 = one per core.</summary>
    public int IntraOpThreads { get; set; }

    /// <summary>Lets ONNX Runtime record its usage telemetry (off unless true).</summary>
    public bool AllowOrtTelemetry { get; set; }
}

public sealed class JobOptions
{
    /// <summary>A generation that finishes within this budget answers <c>success</c>; otherwise <c>processing</c>.</summary>
    public TimeSpan SyncBudget { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Generations that run at the same time.</summary>
    public int MaxConcurrentGenerations { get; set; } = 1;

    /// <summary>How long <c>temp: yes</c> links stay valid.</summary>
    public TimeSpan TempLinkLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Generation starts per job; a job interrupted (process killed) this often ends <c>failed</c> on restart.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>On graceful shutdown, how long running generations may take to finish before they are requeued.</summary>
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(5);
}

public sealed class LimitOptions
{
    public long MaxRequestBodyBytes { get; set; } = 16 * 1024 * 1024;
    /// <summary>Largest decoded base64 init/mask image.</summary>
    public int MaxBase64ImageBytes { get; set; } = 8 * 1024 * 1024;
    public int MaxPromptLength { get; set; } = 4000;
    /// <summary>Characters of any other string in a request body (ids, URLs, negative prompt, unknown members); image
    /// fields may carry base64 up to <see cref="MaxBase64ImageBytes"/> instead. Checked before anything is stored.</summary>
    public int MaxStringLength { get; set; } = 4000;
    /// <summary>Characters of a member name (unknown members included).</summary>
    public int MaxMemberNameLength { get; set; } = 64;
    /// <summary>Members in one request body, nested ones included.</summary>
    public int MaxMembers { get; set; } = 200;
    /// <summary>Nesting of a request body (the API's bodies are flat; LoRA lists are one level down).</summary>
    public int MaxDepth { get; set; } = 16;
    /// <summary>Failed keys one client address may send per <see cref="FailedKeyWindow"/> before it gets 429.</summary>
    public int MaxFailedKeysPerAddress { get; set; } = 60;
    public TimeSpan FailedKeyWindow { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>Distinct model ids whose reload state is kept; the oldest beyond this are forgotten.</summary>
    public int MaxModelStateRows { get; set; } = 1000;
    /// <summary>Queued or running generations one key may have (the API's plan limit; pay-as-you-go is 5).</summary>
    public int MaxQueuedPerKey { get; set; } = 5;
    /// <summary><c>retry_after</c> in the 429 answer, seconds.</summary>
    public int RetryAfterSeconds { get; set; } = 30;
    /// <summary>How often the idle memory trim looks (<see cref="Hosting.IdleMemoryTrim"/>); zero turns it off.</summary>
    public TimeSpan IdleTrimInterval { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>Committed GC memory above which an idle server gives memory back.</summary>
    public long IdleTrimAboveBytes { get; set; } = 192L * 1024 * 1024;
    /// <summary>Allocated bytes per <see cref="IdleTrimInterval"/> below which the process counts as quiet.</summary>
    public long IdleTrimQuietBytes { get; set; } = 16L * 1024 * 1024;
}

public sealed class ModelOptions
{
    /// <summary>How long a model_reload takes (the live API documents about two minutes).</summary>
    public TimeSpan ReloadTime { get; set; } = TimeSpan.FromSeconds(2);
    /// <summary>A model unused this long is evicted and must be reloaded (the live API: 7 days).</summary>
    public TimeSpan IdleEviction { get; set; } = TimeSpan.FromDays(7);
}

public sealed class UrlFetchOptions
{
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);
    public int MaxBytes { get; set; } = 8 * 1024 * 1024;
    public int MaxRedirects { get; set; } = 3;
    /// <summary>Hosts (names, addresses or CIDR ranges) allowed even though they are loopback/private; for tests.</summary>
    public List<string> AllowedHosts { get; set; } = [];
    /// <summary>Turns the private-address check off entirely (never in production).</summary>
    public bool AllowPrivateNetworks { get; set; }
}

public sealed class WebhookOptions
{
    /// <summary>Deliveries tried per completed job (first try included).</summary>
    public int MaxAttempts { get; set; } = 4;
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(2);
    /// <summary>The API asks receivers to answer within 30 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
