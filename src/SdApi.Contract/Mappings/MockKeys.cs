namespace SdApi.Contract.Mappings;

/// <summary>
/// API keys that make the spec-derived mock answer with something other than the success example. The key is in
/// every request body, so any client (generated or not) can pick a behaviour without extra headers.
/// </summary>
public static class MockKeys
{
    /// <summary>generate answers processing; the next fetch answers processing; the one after answers success.</summary>
    public const string Processing = SdApi.Shared.MockKeyNames.Processing;

    /// <summary>HTTP 200 with <c>status: error</c> (the live API's usual way of failing).</summary>
    public const string Error = SdApi.Shared.MockKeyNames.Error;

    /// <summary>HTTP 200 with <c>status: failed</c>.</summary>
    public const string Failed = SdApi.Shared.MockKeyNames.Failed;

    /// <summary>HTTP 429 with <c>retry_after</c> once, then success.</summary>
    public const string RateLimitOnce = SdApi.Shared.MockKeyNames.RateLimitOnce;

    /// <summary>HTTP 429 on every call.</summary>
    public const string RateLimitAlways = SdApi.Shared.MockKeyNames.RateLimitAlways;

    /// <summary>HTTP 503 once, then success.</summary>
    public const string ServerErrorOnce = SdApi.Shared.MockKeyNames.ServerErrorOnce;

    /// <summary>HTTP 500 on every call.</summary>
    public const string ServerErrorAlways = SdApi.Shared.MockKeyNames.ServerErrorAlways;

    /// <summary>The connection is reset by the peer (WireMock fault) once, then success.</summary>
    public const string ConnectionResetOnce = SdApi.Shared.MockKeyNames.ConnectionResetOnce;

    /// <summary>Success after a fixed delay (<see cref="MockOptions.SlowDelay"/>).</summary>
    public const string Slow = SdApi.Shared.MockKeyNames.Slow;

    /// <summary>HTTP 400 with the validation-error shape, for a body the client considered valid.</summary>
    public const string BadRequest = SdApi.Shared.MockKeyNames.BadRequest;
}
