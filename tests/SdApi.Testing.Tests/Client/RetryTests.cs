using SdApi.Bindings;
using SdApi.Bindings.Http;
using SdApi.Testing.Tests.Harness;

namespace SdApi.Testing.Tests.Client;

/// <summary>The client's retry policy against SdApi.Testing's faults: 429 (honouring retry_after), 5xx and a reset
/// connection are retried with backoff; a 4xx validation answer and status error/failed on HTTP 200 are not. Retry
/// waits run on a FakeTimeProvider (the mock's journal uses the same clock), so they are measured exactly.</summary>
public sealed class RetryTests : IDisposable
{
    private readonly SteppedClock _clock = new();
    private readonly SdApiMockServer _mock;

    public RetryTests() => _mock = SdApiMockServer.Start(o => o.TimeProvider = _clock);

    public void Dispose() => _mock.Dispose();

    [Fact]
    public async Task Rate_limited_call_waits_retry_after_then_succeeds()
    {
        _mock.On("v6Text2Img").RespondWith(SdApiAnswer.RateLimited(retryAfterSeconds: 7));

        var response = await SendAsync(o => o.MaxRetryDelay = TimeSpan.FromSeconds(60));

        response.Value.Kind.Should().Be(OutcomeKind.Success);
        response.GetRawResponse().Attempts.Should().Be(2);
        var requests = _mock.Received.All;
        requests.Select(r => r.Status).Should().Equal(429, 200);
        (requests[1].ReceivedAt - requests[0].ReceivedAt).Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(7), "the 429 said retry_after 7")
            .And.BeLessThanOrEqualTo(TimeSpan.FromSeconds(7.7), "at most 10% jitter on top");
    }

    [Fact]
    public async Task Retry_after_is_capped_by_MaxRetryDelay()
    {
        _mock.On("v6Text2Img").RespondWith(SdApiAnswer.RateLimited(retryAfterSeconds: 30));

        await SendAsync(o => o.MaxRetryDelay = TimeSpan.FromSeconds(2));

        var requests = _mock.Received.All;
        (requests[1].ReceivedAt - requests[0].ReceivedAt).Should().Be(TimeSpan.FromSeconds(2));
    }

    [Theory]
    [InlineData(SdApiMockKeys.ServerErrorOnce)]
    [InlineData(SdApiMockKeys.ConnectionResetOnce)]
    [InlineData(SdApiMockKeys.RateLimitOnce)]
    public async Task Transient_failure_selected_by_key_is_retried_once_then_succeeds(string key)
    {
        var response = await SendAsync(o => o.ApiKey = key);

        response.Value.Kind.Should().Be(OutcomeKind.Success);
        response.GetRawResponse().Attempts.Should().Be(2);
        _mock.Received.Count.Should().Be(2);
        _mock.Received.All[0].ConnectionReset.Should().Be(key == SdApiMockKeys.ConnectionResetOnce);
    }

    [Fact]
    public async Task Persistent_5xx_is_retried_MaxRetries_times_with_waits()
    {
        _mock.On("v6Text2Img").Always(SdApiAnswer.ServerError(500));

        var response = await SendAsync(o => { o.MaxRetries = 3; o.RetryBaseDelay = TimeSpan.FromMilliseconds(200); });

        response.Status.Should().Be(500);
        response.Value.Kind.Should().Be(OutcomeKind.Error);
        response.GetRawResponse().Attempts.Should().Be(4);
        var times = _mock.Received.All.Select(r => r.ReceivedAt).ToList();
        times.Should().HaveCount(4);
        times.Zip(times.Skip(1), (a, b) => b - a).Should().OnlyContain(gap => gap > TimeSpan.Zero, "every retry waits");
    }

    [Fact]
    public async Task Persistent_429_gives_up_after_MaxRetries_with_the_rate_limit_answer()
    {
        var response = await SendAsync(o => { o.ApiKey = SdApiMockKeys.RateLimitAlways; o.MaxRetries = 1; });

        response.Status.Should().Be(429);
        response.Value.Should().BeOfType<ErrorResponse>();
        response.GetRawResponse().Attempts.Should().Be(2);
        _mock.Received.Count.Should().Be(2);
    }

    [Fact]
    public async Task Validation_error_answer_is_not_retried()
    {
        var response = await SendAsync(o => o.ApiKey = SdApiMockKeys.BadRequest);

        response.Status.Should().Be(400);
        response.Value.Should().BeOfType<ErrorResponse>().Which.FieldErrors.Should().NotBeNullOrEmpty();
        response.GetRawResponse().Attempts.Should().Be(1);
    }

    [Theory]
    [InlineData(SdApiMockKeys.Error, OutcomeKind.Error)]
    [InlineData(SdApiMockKeys.Failed, OutcomeKind.Failed)]
    public async Task Status_error_or_failed_on_HTTP_200_is_an_outcome_not_a_retry(string key, OutcomeKind kind)
    {
        var response = await SendAsync(o => o.ApiKey = key);

        response.Status.Should().Be(200);
        response.Value.Kind.Should().Be(kind);
        response.GetRawResponse().Attempts.Should().Be(1);
    }

    [Fact]
    public async Task Cancelling_a_call_to_a_slow_provider_returns_without_retrying()
    {
        _mock.On("v6Text2Img").RespondWith(SdApiAnswer.Success().After(TimeSpan.FromMinutes(5)));
        using var cancel = new CancellationTokenSource();

        // Not driven by the clock: the mock's delay (on the same fake clock) must not pass.
        var call = ClientCalls.InvokeAsync(_mock.CreateClient(timeProvider: _clock), "v6Text2Img", Body(), cancellationToken: cancel.Token);
        await _mock.Received.WaitForCountAsync(1);
        await cancel.CancelAsync();

        await call.Invoking(c => c).Should().ThrowAsync<OperationCanceledException>();
        _mock.Received.Count.Should().Be(1);
        _mock.Received.All[0].Status.Should().BeNull("the provider never answered: the client stopped waiting");
    }

    private Task<Response<Outcome>> SendAsync(Action<SdApiClientOptions>? configure = null, CancellationToken cancellationToken = default)
    {
        var client = _mock.CreateClient(configure, _clock);
        return _clock.RunAsync(ClientCalls.InvokeAsync(client, "v6Text2Img", Body(), cancellationToken: cancellationToken));
    }

    private static System.Text.Json.Nodes.JsonObject Body()
    {
        var body = SpecFiles.Edges.Bases["v6Text2Img"].DeepClone().AsObject();
        body.Remove("key"); // from the options
        return body;
    }
}
