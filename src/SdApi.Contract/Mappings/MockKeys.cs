namespace SdApi.Contract.Mappings;

/// <summary>
/// API keys that make the spec-derived mock answer with something other than the success example. The key is in
/// every request body, so any client (generated or not) can pick a behaviour without extra headers.
/// </summary>
public static class MockKeys
{
    /// <summary>generate answers processing; the next fetch answers processing; the one after answers success.</summary>
    public const string Processing = "mock-processing";

    /// <summary>HTTP 200 with <c>status: error</c> (the live API's usual way of failing).</summary>
    public const string Error = "mock-error";

    /// <summary>HTTP 200 with <c>status: failed</c>.</summary>
    public const string Failed = "mock-failed";

    /// <summary>HTTP 429 with <c>retry_after</c> once, then success.</summary>
    public const string RateLimitOnce = "mock-rate-limit";

    /// <summary>HTTP 429 on every call.</summary>
    public const string RateLimitAlways = "mock-rate-limit-always";

    /// <summary>HTTP 503 once, then success.</summary>
    public const string ServerErrorOnce = "mock-server-error";

    /// <summary>HTTP 500 on every call.</summary>
    public const string ServerErrorAlways = "mock-server-error-always";

    /// <summary>The connection is reset by the peer (WireMock fault) once, then success.</summary>
    public const string ConnectionResetOnce = "mock-connection-reset";

    /// <summary>Success after a fixed delay (<see cref="MockOptions.SlowDelay"/>).</summary>
    public const string Slow = "mock-slow";

    /// <summary>HTTP 400 with the validation-error shape, for a body the client considered valid.</summary>
    public const string BadRequest = "mock-bad-request";
}
