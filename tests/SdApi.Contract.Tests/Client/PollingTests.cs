using System.Diagnostics;
using System.Text.Json.Nodes;
using SdApi.Bindings;
using SdApi.Contract.Mappings;
using SdApi.Contract.Tests.Harness;
using Xunit.Abstractions;

namespace SdApi.Contract.Tests.Client;

/// <summary>WaitForCompletionAsync against WireMock: follows eta, stops on success/error/failed, honours its deadline
/// and cancellation.</summary>
public sealed class PollingTests(WireMockFixture wireMock, ITestOutputHelper output) : WireMockTest(wireMock, output)
{
    [Theory]
    [InlineData("v4")]
    [InlineData("v6")]
    public Task Processing_then_processing_then_success_ends_in_success_after_two_fetches(string version) => RunAsync(async () =>
    {
        var client = ClientCalls.Create(WireMock.BaseUrl, o => o.ApiKey = MockKeys.Processing);
        var operationId = version + "Text2Img";
        var body = WireMock.Edges.Bases[operationId].DeepClone().AsObject();
        body.Remove("key"); // filled from the options

        var started = await ClientCalls.InvokeAsync(client, operationId, body);
        started.Value.Kind.Should().Be(OutcomeKind.Processing);
        var done = version == "v4" ? await client.V4.WaitForCompletionAsync(started) : await client.V6.WaitForCompletionAsync(started);

        done.Value.Kind.Should().Be(OutcomeKind.Success);
        await ExpectRequestsAsync(3);
        (await Admin.GetRequestsAsync()).Count(r => r.Url.Contains("/fetch/", StringComparison.Ordinal)).Should().Be(2);
    });

    [Fact]
    public Task Waits_about_eta_seconds_between_polls() => RunAsync(async () =>
    {
        var fetch = WireMock.Spec.Operation("v4FetchById");
        var first = Stubs.Answer(fetch, "eta", 200, Stubs.Processing(1.2));
        first["scenarioName"] = "eta";
        first["requiredScenarioState"] = "Started";
        first["newScenarioState"] = "polled";
        var second = Stubs.Answer(fetch, "eta", 200, new JsonObject { ["status"] = "success", ["id"] = 29763508, ["output"] = new JsonArray() });
        second["scenarioName"] = "eta";
        second["requiredScenarioState"] = "polled";
        await AddStubAsync(first);
        await AddStubAsync(second);
        var client = ClientCalls.Create(WireMock.BaseUrl, o => o.ApiKey = "eta");

        var done = await client.V4.WaitForCompletionAsync("29763508");

        done.Value.Kind.Should().Be(OutcomeKind.Success);
        var requests = (await Admin.GetRequestsAsync()).OrderBy(r => r.LoggedAt).ToList();
        requests.Should().HaveCount(2);
        var gap = requests[1].LoggedAt - requests[0].LoggedAt;
        gap.Should().BeGreaterThan(TimeSpan.FromSeconds(1.0), "the first poll answered processing with eta 1.2 s");
        gap.Should().BeLessThan(TimeSpan.FromSeconds(2.9), "eta, not the 3 s maximum, sets the wait");
        await ExpectRequestsAsync(2);
    });

    [Theory]
    [InlineData("error")]
    [InlineData("failed")]
    public Task Stops_on_a_final_error_or_failed_answer(string status) => RunAsync(async () =>
    {
        var fetch = WireMock.Spec.Operation("v6FetchById");
        var answer = status == "error"
            ? new JsonObject { ["status"] = "error", ["message"] = "Request not found" }
            : new JsonObject { ["status"] = "failed", ["id"] = "", ["message"] = "Failed, Try Again", ["output"] = "" };
        await AddStubAsync(Stubs.Answer(fetch, "stop-" + status, 200, answer));
        var client = ClientCalls.Create(WireMock.BaseUrl, o => o.ApiKey = "stop-" + status);

        var done = await client.V6.WaitForCompletionAsync("29763508");

        done.Value.Kind.Should().Be(status == "error" ? OutcomeKind.Error : OutcomeKind.Failed);
        await ExpectRequestsAsync(1);
    });

    [Fact]
    public Task Gives_up_at_the_polling_deadline() => RunAsync(async () =>
    {
        await AddStubAsync(Stubs.Answer(WireMock.Spec.Operation("v6FetchById"), "forever", 200, Stubs.Processing(0.2)));
        var client = ClientCalls.Create(WireMock.BaseUrl, o => { o.ApiKey = "forever"; o.PollingTimeout = TimeSpan.FromSeconds(1); });
        var clock = Stopwatch.StartNew();

        var wait = () => client.V6.WaitForCompletionAsync("29763508");

        await wait.Should().ThrowAsync<TimeoutException>();
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(3));
        var polls = (await Admin.GetRequestsAsync()).Count;
        polls.Should().BeInRange(3, 8, "about one poll per 0.2 s eta within the 1 s deadline");
    });

    [Fact]
    public Task Cancellation_stops_polling_promptly() => RunAsync(async () =>
    {
        await AddStubAsync(Stubs.Answer(WireMock.Spec.Operation("v4FetchById"), "long", 200, Stubs.Processing(20)));
        var client = ClientCalls.Create(WireMock.BaseUrl, o => { o.ApiKey = "long"; o.PollingMaxDelay = TimeSpan.FromSeconds(30); });
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var clock = Stopwatch.StartNew();

        var wait = () => client.V4.WaitForCompletionAsync("29763508", cancel.Token);

        await wait.Should().ThrowAsync<OperationCanceledException>();
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2.5), "cancelling must not sit out the 20 s eta");
        await ExpectRequestsAsync(1);
    });
}
