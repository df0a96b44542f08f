using SdApi.Bindings.Http;

namespace SdApi.Testing;

/// <summary>Settings of <see cref="SdApiMockServer"/>. The defaults keep tests fast: the ready client retries and polls
/// after milliseconds, not the seconds a real provider needs.</summary>
public sealed class SdApiMockOptions
{
    /// <summary>The key the ready client sends (any key not in <see cref="SdApiMockKeys"/> gets the documented success).</summary>
    public string ApiKey { get; set; } = "sdapi-mock-key";

    /// <summary>Delay of <see cref="SdApiMockKeys.Slow"/> answers.</summary>
    public TimeSpan SlowDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Replaces <c>retry_after</c> (seconds) in the keyed 429 answers; null keeps the spec example's value.</summary>
    public int? RetryAfterSeconds { get; set; } = 1;

    /// <summary>Replaces <c>eta</c> (seconds) in the keyed processing answers; null keeps the spec example's value.</summary>
    public double? EtaSeconds { get; set; } = 0.05;

    /// <summary>Clock of the request journal's timestamps and of scripted delays; give the test's FakeTimeProvider to
    /// read waits between requests in fake time.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Applied to the options of every client the mock creates, after the mock's fast defaults.</summary>
    public Action<SdApiClientOptions>? ConfigureClient { get; set; }
}
