using System.Diagnostics;
using SdApi.Bindings;
using SdApi.Bindings.Http;
using SdApi.Contract.Mappings;
using SdApi.Contract.Tests.Harness;
using Xunit.Abstractions;

namespace SdApi.Contract.Tests.Client;

/// <summary>The client's retry policy against the spec-derived failure stubs: 429 (honouring retry_after), 5xx and a
/// reset connection are retried with backoff; a 4xx validation answer is not.</summary>
public sealed class RetryTests(WireMockFixture wireMock, ITestOutputHelper output) : WireMockTest(wireMock, output)
{
    [Fact]
    public Task Rate_limited_call_waits_retry_after_then_succeeds() => RunAsync(async () =>
    {
        var clock = Stopwatch.StartNew();
        var response = await SendAsync(MockKeys.RateLimitOnce);
        response.Value.Kind.Should().Be(OutcomeKind.Success);
        response.GetRawResponse().Attempts.Should().Be(2);
        clock.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(WireMockFixture.TestOptions.RetryAfterSeconds!.Value),
            "the 429 said retry_after");
        await ExpectRequestsAsync(2);
    });

    [Theory]
    [InlineData(MockKeys.ServerErrorOnce)]
    [InlineData(MockKeys.ConnectionResetOnce)]
    public Task Transient_failure_is_retried_once_then_succeeds(string key) => RunAsync(async () =>
    {
        var response = await SendAsync(key);
        response.Value.Kind.Should().Be(OutcomeKind.Success);
        response.GetRawResponse().Attempts.Should().Be(2);
        await ExpectRequestsAsync(2);
    });

    [Fact]
    public Task Persistent_5xx_is_retried_MaxRetries_times_with_growing_waits() => RunAsync(async () =>
    {
        var response = await SendAsync(MockKeys.ServerErrorAlways, o => { o.MaxRetries = 3; o.RetryBaseDelay = TimeSpan.FromMilliseconds(200); });
        response.Status.Should().Be(500);
        response.Value.Kind.Should().Be(OutcomeKind.Error);
        response.GetRawResponse().Attempts.Should().Be(4);
        var times = (await Admin.GetRequestsAsync()).Select(r => r.LoggedAt).Order().ToList();
        times.Should().HaveCount(4);
        // Exponential backoff with jitter: individual waits vary, their sum does not fall to zero.
        (times[^1] - times[0]).Should().BeGreaterThan(TimeSpan.FromMilliseconds(200));
        await ExpectRequestsAsync(4);
    });

    [Fact]
    public Task Persistent_429_gives_up_after_MaxRetries_with_the_rate_limit_answer() => RunAsync(async () =>
    {
        var response = await SendAsync(MockKeys.RateLimitAlways, o => o.MaxRetries = 1);
        response.Status.Should().Be(429);
        response.Value.Kind.Should().Be(OutcomeKind.Error);
        response.GetRawResponse().Attempts.Should().Be(2);
        await ExpectRequestsAsync(2);
    });

    [Fact]
    public Task Validation_error_answer_is_not_retried() => RunAsync(async () =>
    {
        var response = await SendAsync(MockKeys.BadRequest);
        response.Status.Should().Be(400);
        var error = response.Value.Should().BeOfType<ErrorResponse>().Subject;
        error.FieldErrors.Should().NotBeNullOrEmpty();
        response.GetRawResponse().Attempts.Should().Be(1);
        await ExpectRequestsAsync(1);
    });

    [Theory]
    [InlineData(MockKeys.Error, OutcomeKind.Error)]
    [InlineData(MockKeys.Failed, OutcomeKind.Failed)]
    public Task Status_error_or_failed_on_HTTP_200_is_an_outcome_not_a_retry(string key, OutcomeKind kind) => RunAsync(async () =>
    {
        var response = await SendAsync(key);
        response.Status.Should().Be(200);
        response.Value.Kind.Should().Be(kind);
        response.GetRawResponse().Attempts.Should().Be(1);
        await ExpectRequestsAsync(1);
    });

    [Fact]
    public Task Cancelling_a_call_to_a_slow_provider_returns_promptly_without_retrying() => RunAsync(async () =>
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = Stopwatch.StartNew();
        var call = () => SendAsync(MockKeys.Slow, cancellationToken: cancel.Token);
        await call.Should().ThrowAsync<OperationCanceledException>();
        clock.Elapsed.Should().BeLessThan(WireMockFixture.TestOptions.SlowDelay, "cancellation must not wait for the delayed answer");
        await ExpectRequestsAsync(1);
    });

    private Task<Response<Outcome>> SendAsync(string key, Action<SdApiClientOptions>? configure = null, CancellationToken cancellationToken = default)
    {
        var client = ClientCalls.Create(WireMock.BaseUrl, configure);
        var body = WireMock.Edges.Bases["v6Text2Img"].DeepClone().AsObject();
        body["key"] = key;
        return ClientCalls.InvokeAsync(client, "v6Text2Img", body, cancellationToken: cancellationToken);
    }
}
