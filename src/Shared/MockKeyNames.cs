// The one list of the mock's behaviour keys. It is compiled into SdApi.Contract (the exported WireMock mappings) and
// SdApi.Testing (the in-process mock), which keep apart so the Testing package carries no WireMock mapping code; each
// exposes the keys under its own public name (MockKeys, SdApiMockKeys).
namespace SdApi.Shared;

internal static class MockKeyNames
{
    public const string Processing = "mock-processing";
    public const string Error = "mock-error";
    public const string Failed = "mock-failed";
    public const string RateLimitOnce = "mock-rate-limit";
    public const string RateLimitAlways = "mock-rate-limit-always";
    public const string ServerErrorOnce = "mock-server-error";
    public const string ServerErrorAlways = "mock-server-error-always";
    public const string ConnectionResetOnce = "mock-connection-reset";
    public const string Slow = "mock-slow";
    public const string BadRequest = "mock-bad-request";
}
