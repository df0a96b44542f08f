namespace SdApi.Testing;

/// <summary>
/// API keys that pick a behaviour, the same keys the exported WireMock mappings understand (<c>sdapi mock export</c>;
/// one list, src/Shared/MockKeyNames.cs; a test checks both answer alike). Any other key gets the documented success.
/// </summary>
public static class SdApiMockKeys
{
    /// <summary>generate answers processing (its job fetched by id: processing once, then success); a fetch with this key
    /// after it answers processing, the next success (the mappings' "polling" scenario; before any such generate: success).</summary>
    public const string Processing = SdApi.Shared.MockKeyNames.Processing;

    /// <summary>HTTP 200 with <c>status: error</c>.</summary>
    public const string Error = SdApi.Shared.MockKeyNames.Error;

    /// <summary>HTTP 200 with <c>status: failed</c>.</summary>
    public const string Failed = SdApi.Shared.MockKeyNames.Failed;

    /// <summary>HTTP 429 with <c>retry_after</c> once per operation, then success.</summary>
    public const string RateLimitOnce = SdApi.Shared.MockKeyNames.RateLimitOnce;

    /// <summary>HTTP 429 on every call.</summary>
    public const string RateLimitAlways = SdApi.Shared.MockKeyNames.RateLimitAlways;

    /// <summary>HTTP 503 once per operation, then success.</summary>
    public const string ServerErrorOnce = SdApi.Shared.MockKeyNames.ServerErrorOnce;

    /// <summary>HTTP 500 on every call.</summary>
    public const string ServerErrorAlways = SdApi.Shared.MockKeyNames.ServerErrorAlways;

    /// <summary>The connection is reset once per operation, then success.</summary>
    public const string ConnectionResetOnce = SdApi.Shared.MockKeyNames.ConnectionResetOnce;

    /// <summary>Success after <see cref="SdApiMockOptions.SlowDelay"/>.</summary>
    public const string Slow = SdApi.Shared.MockKeyNames.Slow;

    /// <summary>HTTP 400 in the validation-error shape, for a body the validator accepts.</summary>
    public const string BadRequest = SdApi.Shared.MockKeyNames.BadRequest;

    /// <summary>Every key, for tests that walk them.</summary>
    public static IReadOnlyList<string> All { get; } =
        [Processing, Error, Failed, RateLimitOnce, RateLimitAlways, ServerErrorOnce, ServerErrorAlways, ConnectionResetOnce, Slow, BadRequest];
}
