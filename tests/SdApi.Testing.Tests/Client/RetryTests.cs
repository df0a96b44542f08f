using SdApi.Bindings;
using SdApi.Bindings.Http;
using SdApi.Testing.Tests.Harness;

namespace SdApi.Testing.Tests.Client;

/// <summary>The client's retry policy against SdApi.Testing's faults: 429 (honouring retry_after) is retried everywhere;
/// 5xx and a reset connection are retried with backoff on fetch only, while a generation fails with
/// SdApiJobMayExistException after one POST unless the caller opted into duplicate risk; a 4xx validation answer and
/// status error/failed on HTTP 200 are not retried. Retry
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
    public async Task Transient_failure_of_fetch_is_retried_once_then_succeeds(string key)
    {
        var response = await SendAsync("v6Fetch", o => o.ApiKey = key);

        response.Value.Kind.Should().Be(OutcomeKind.Success);
        response.GetRawResponse().Attempts.Should().Be(2);
        _mock.Received.Count.Should().Be(2);
        _mock.Received.All[0].ConnectionReset.Should().Be(key == SdApiMockKeys.ConnectionResetOnce);
    }

    [Fact]
    public async Task Rate_limited_generation_is_retried_once_then_succeeds()
    {
        var response = await SendAsync(configure: o => o.ApiKey = SdApiMockKeys.RateLimitOnce);

        response.Value.Kind.Should().Be(OutcomeKind.Success);
        _mock.Received.Count.Should().Be(2, "a 429 proves no job started");
    }

    [Theory]
    [InlineData(SdApiMockKeys.ServerErrorOnce, SdApiUncertainFailure.ServerError)]
    [InlineData(SdApiMockKeys.ConnectionResetOnce, SdApiUncertainFailure.ConnectionLost)]
    public async Task Generation_is_not_resent_after_a_5xx_or_a_reset_and_says_the_job_may_exist(string key, SdApiUncertainFailure failure)
    {
        var send = () => SendAsync(configure: o => o.ApiKey = key);

        var thrown = await send.Should().ThrowAsync<SdApiJobMayExistException>();
        thrown.Which.Failure.Should().Be(failure);
        _mock.Received.Count.Should().Be(1, "a second POST could start (and bill) a second job");
    }

    [Theory]
    [InlineData(SdApiMockKeys.ServerErrorOnce)]
    [InlineData(SdApiMockKeys.ConnectionResetOnce)]
    public async Task Generation_opted_into_duplicate_risk_is_retried_once_then_succeeds(string key)
    {
        var response = await SendAsync(configure: o => { o.ApiKey = key; o.RetryGenerationRiskingDuplicateJobs = true; });

        response.Value.Kind.Should().Be(OutcomeKind.Success);
        _mock.Received.Count.Should().Be(2);
    }

    [Fact]
    public async Task Persistent_5xx_on_fetch_is_retried_MaxRetries_times_with_waits()
    {
        _mock.On("v6Fetch").Always(SdApiAnswer.ServerError(500));

        var response = await SendAsync("v6Fetch", o => { o.MaxRetries = 3; o.RetryBaseDelay = TimeSpan.FromMilliseconds(200); });

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
        => SendAsync("v6Text2Img", configure, cancellationToken);

    private Task<Response<Outcome>> SendAsync(string operationId, Action<SdApiClientOptions>? configure = null, CancellationToken cancellationToken = default)
    {
        var client = _mock.CreateClient(configure, _clock);
        return _clock.RunAsync(ClientCalls.InvokeAsync(client, operationId, Body(operationId), cancellationToken: cancellationToken));
    }

    private static System.Text.Json.Nodes.JsonObject Body(string operationId = "v6Text2Img")
    {
        var body = SpecFiles.Edges.Bases[operationId].DeepClone().AsObject();
        body.Remove("key"); // from the options
        return body;
    }
}
