using SdApi.Bindings;
using SdApi.Testing.Tests.Harness;

namespace SdApi.Testing.Tests.Client;

/// <summary>WaitForCompletionAsync against SdApi.Testing: follows eta, stops on success/error/failed, honours its
/// deadline and cancellation. Time is a FakeTimeProvider shared by the client and the mock's journal, so waits cost
/// no wall-clock time and are checked exactly.</summary>
public sealed class PollingTests : IDisposable
{
    private readonly SteppedClock _clock = new();
    private readonly SdApiMockServer _mock;

    public PollingTests() => _mock = SdApiMockServer.Start(o => o.TimeProvider = _clock);

    public void Dispose() => _mock.Dispose();

    [Theory]
    [InlineData("v4")]
    [InlineData("v6")]
    public async Task Processing_then_processing_then_success_ends_in_success_after_two_fetches(string version)
    {
        var client = _mock.CreateClient(o => o.ApiKey = SdApiMockKeys.Processing, _clock);
        var operationId = version + "Text2Img";
        var body = SpecFiles.Edges.Bases[operationId].DeepClone().AsObject();
        body.Remove("key"); // filled from the options

        var started = await ClientCalls.InvokeAsync(client, operationId, body);
        started.Value.Kind.Should().Be(OutcomeKind.Processing);
        var done = await _clock.RunAsync(version == "v4" ? client.V4.WaitForCompletionAsync(started) : client.V6.WaitForCompletionAsync(started));

        done.Value.Kind.Should().Be(OutcomeKind.Success);
        _mock.Received.Count.Should().Be(3);
        _mock.Received.For(version + "FetchById").Should().HaveCount(2);
    }

    [Fact]
    public async Task Waits_eta_seconds_between_polls()
    {
        _mock.On("v4FetchById").RespondWith(SdApiAnswer.Processing(etaSeconds: 1.2)).Then(SdApiAnswer.Success());
        var client = _mock.CreateClient(timeProvider: _clock);

        var done = await _clock.RunAsync(client.V4.WaitForCompletionAsync("29763508"));

        done.Value.Kind.Should().Be(OutcomeKind.Success);
        var requests = _mock.Received.All;
        requests.Should().HaveCount(2);
        (requests[1].ReceivedAt - requests[0].ReceivedAt).Should().Be(TimeSpan.FromSeconds(1.2), "the first poll answered processing with eta 1.2 s");
    }

    [Fact]
    public async Task Eta_above_the_maximum_waits_the_maximum()
    {
        _mock.On("v6FetchById").RespondWith(SdApiAnswer.Processing(etaSeconds: 40)).Then(SdApiAnswer.Success());
        var client = _mock.CreateClient(o => o.PollingMaxDelay = TimeSpan.FromSeconds(3), _clock);

        await _clock.RunAsync(client.V6.WaitForCompletionAsync("29763508"));

        var requests = _mock.Received.All;
        (requests[1].ReceivedAt - requests[0].ReceivedAt).Should().Be(TimeSpan.FromSeconds(3));
    }

    [Theory]
    [InlineData("error")]
    [InlineData("failed")]
    public async Task Stops_on_a_final_error_or_failed_answer(string status)
    {
        _mock.On("v6FetchById").Always(status == "error" ? SdApiAnswer.Error("Request not found") : SdApiAnswer.Failed());
        var client = _mock.CreateClient(timeProvider: _clock);

        var done = await _clock.RunAsync(client.V6.WaitForCompletionAsync("29763508"));

        done.Value.Kind.Should().Be(status == "error" ? OutcomeKind.Error : OutcomeKind.Failed);
        _mock.Received.Count.Should().Be(1);
    }

    [Fact]
    public async Task Gives_up_at_the_polling_deadline()
    {
        _mock.On("v6FetchById").Always(SdApiAnswer.Processing(etaSeconds: 0.2));
        var client = _mock.CreateClient(o => o.PollingTimeout = TimeSpan.FromSeconds(1), _clock);

        var wait = () => _clock.RunAsync(client.V6.WaitForCompletionAsync("29763508"));

        await wait.Should().ThrowAsync<TimeoutException>();
        _mock.Received.Count.Should().Be(6, "polls at 0, 0.2, 0.4, 0.6, 0.8 and 1.0 s of a 1 s deadline");
        (_mock.Received.All[^1].ReceivedAt - _mock.Received.All[0].ReceivedAt).Should().Be(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Cancellation_stops_polling_during_a_wait()
    {
        _mock.On("v4FetchById").Always(SdApiAnswer.Processing(etaSeconds: 20));
        var client = _mock.CreateClient(o => o.PollingMaxDelay = TimeSpan.FromSeconds(30), _clock);
        using var cancel = new CancellationTokenSource();

        var wait = client.V4.WaitForCompletionAsync("29763508", cancel.Token);
        (await _clock.NextTimerAsync()).Should().Be(TimeSpan.FromSeconds(20), "the poller waits the eta");
        await cancel.CancelAsync();

        await wait.Invoking(w => w).Should().ThrowAsync<OperationCanceledException>();
        _mock.Received.Count.Should().Be(1, "no poll after cancelling, and no time passed");
    }
}
