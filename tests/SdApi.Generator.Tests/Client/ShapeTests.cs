using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SdApi.Bindings;
using SdApi.Bindings.Http;
using SdApi.Generator.Tests.Infrastructure;

namespace SdApi.Generator.Tests.Client;

/// <summary>The client's shape as .NET users expect it (Azure SDK guidelines): mockable, named clients, one-call
/// long-running operations with progress, typed polling timeout, traces and metrics without the key.</summary>
public class ShapeTests
{
    private const string Processing = """{"status":"processing","eta":20,"messege":"try again later.","id":77,"output":""}""";

    /// <summary>A hand-written stand-in, as a test of code that uses the client would write it.</summary>
    private sealed class FakeV6 : SdApiV6Client
    {
        public List<V6Text2ImgRequest> Received { get; } = new();

        public override Task<Response<Outcome>> Text2ImgAsync(V6Text2ImgRequest request, CancellationToken cancellationToken = default)
        {
            Received.Add(request);
            var raw = new RawResponse(200, "OK", new Dictionary<string, IReadOnlyList<string>>(), CountingServer.Success.Select(c => (byte)c).ToArray(), 1);
            return Task.FromResult(new Response<Outcome>(Outcome.FromJson(CountingServer.Success), raw));
        }
    }

    private sealed class FakeClient(SdApiV6Client v6) : SdApiClient
    {
        public override SdApiV6Client V6 => v6;
    }

    /// <summary>Code under test that depends on the client, not on HTTP.</summary>
    private static async Task<IReadOnlyList<string>> FirstImages(SdApiClient client, string prompt)
        => (await client.V6.GenerateAsync(new V6Text2ImgRequest { Prompt = prompt })).Value is SuccessResponse s ? s.Output ?? [] : [];

    [Fact]
    public async Task A_subclass_stands_in_for_the_client_and_its_operations()
    {
        var v6 = new FakeV6();
        var client = new FakeClient(v6);

        // GenerateAsync is not overridden: it runs over the overridden Text2ImgAsync, and a final answer needs no polling.
        (await FirstImages(client, "a red circle")).Should().Equal("http://x/a.png");
        v6.Received.Should().ContainSingle().Which.Prompt.Should().Be("a red circle");
    }

    [Fact]
    public void Operations_are_virtual_and_clients_have_a_protected_parameterless_constructor()
    {
        foreach (var type in new[] { typeof(SdApiClient), typeof(SdApiV4Client), typeof(SdApiV6Client), typeof(SdApiV3Client) })
        {
            type.IsSealed.Should().BeFalse(type.Name);
            type.GetConstructor(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic, Type.EmptyTypes)!.IsFamily.Should().BeTrue(type.Name);
            var methods = type.GetMethods(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.DeclaredOnly)
                .Where(m => m.Name.EndsWith("Async", StringComparison.Ordinal) || m.Name.StartsWith("get_", StringComparison.Ordinal)).ToList();
            methods.Where(m => !(m.Name == "get_Pipeline")).Should().NotBeEmpty().And.OnlyContain(m => m.IsVirtual, type.Name);
        }
    }

    [Fact]
    public void Plumbing_is_hidden_from_IntelliSense()
    {
        foreach (var type in new[] { typeof(SdApiPipeline), typeof(CompletionPoller), typeof(SdApiServices), typeof(Bindings.Json.WireReader), typeof(Bindings.Json.WireWriter), typeof(Bindings.Validation.RuleChecks) })
            type.GetCustomAttributes(typeof(System.ComponentModel.EditorBrowsableAttribute), false).Cast<System.ComponentModel.EditorBrowsableAttribute>()
                .Should().ContainSingle(type.Name).Which.State.Should().Be(System.ComponentModel.EditorBrowsableState.Never);
    }

    [Fact]
    public async Task GenerateAsync_submits_polls_by_eta_and_reports_every_answer()
    {
        var time = new AutoAdvancingTime();
        var server = new CountingServer(new Step.Answer(HttpStatusCode.OK, Processing), new Step.Answer(HttpStatusCode.OK, Processing), CountingServer.Ok) { Clock = time };
        var seen = new List<OutcomeKind>();
        var response = await server.Client(time).V6.GenerateAsync(new V6Text2ImgRequest { Prompt = "p" }, new SyncProgress(o => seen.Add(o.Kind)));

        response.Value.Kind.Should().Be(OutcomeKind.Success);
        server.PostsSeen.Should().Equal("/api/v6/images/text2img", "/api/v6/images/fetch/77", "/api/v6/images/fetch/77");
        seen.Should().Equal(OutcomeKind.Processing, OutcomeKind.Processing, OutcomeKind.Success);
        (server.SeenAt[1] - server.SeenAt[0]).Should().Be(TimeSpan.FromSeconds(20), "the first poll waits the eta");
    }

    [Theory]
    [InlineData("""{"status":"error","message":"bad"}""", OutcomeKind.Error)]
    [InlineData("""{"status":"failed","id":"","message":"Failed, Try Again","output":""}""", OutcomeKind.Failed)]
    public async Task GenerateAsync_stops_on_error_and_failed(string answer, OutcomeKind kind)
    {
        var server = new CountingServer(new Step.Answer(HttpStatusCode.OK, Processing), new Step.Answer(HttpStatusCode.OK, answer));
        (await server.Client(new AutoAdvancingTime()).V4.GenerateAsync(new V4Text2ImgRequest { Prompt = "p" })).Value.Kind.Should().Be(kind);
        server.PostsSeen.Should().HaveCount(2);
    }

    [Fact]
    public async Task At_the_deadline_polling_throws_a_typed_timeout_with_the_last_processing_answer()
    {
        var time = new AutoAdvancingTime();
        var server = new CountingServer(new Step.Answer(HttpStatusCode.OK, Processing)) { Clock = time };
        var client = server.Client(time, o => o.PollingTimeout = TimeSpan.FromMinutes(1));
        var start = time.GetUtcNow();

        var ex = (await ((Func<Task>)(() => client.V6.WaitForCompletionAsync("77"))).Should().ThrowAsync<SdApiPollingTimeoutException<Outcome>>()).Which;

        ex.Should().BeAssignableTo<TimeoutException>();
        ex.LastResponse.Value.Should().BeOfType<ProcessingResponse>().Which.Eta.Should().Be(20);
        ex.Timeout.Should().Be(TimeSpan.FromMinutes(1));
        // eta 20 s: polls at 0, 20, 40 and at the 60 s deadline.
        ex.Polls.Should().Be(4);
        server.PostsSeen.Should().HaveCount(4);
        (time.GetUtcNow() - start).Should().Be(TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task AddSdApiClient_with_names_configures_separate_clients()
    {
        var eu = new CountingServer(CountingServer.Ok);
        var us = new CountingServer(CountingServer.Ok);
        var services = new ServiceCollection();
        services.AddSdApiClient("eu", o => { o.BaseAddress = new Uri("http://eu.test/"); o.ApiKey = "eu-key"; }).ConfigurePrimaryHttpMessageHandler(() => eu);
        services.AddSdApiClient("us", o => { o.BaseAddress = new Uri("http://us.test/"); o.ApiKey = "us-key"; }).ConfigurePrimaryHttpMessageHandler(() => us);
        services.AddSdApiClient("us", o => o.MaxRetries = 7); // a second call with a name adds to that client
        await using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<ISdApiClientFactory<SdApiClient>>();

        await factory.CreateClient("eu").V6.FetchByIdAsync("1");
        await factory.CreateClient("us").V6.FetchByIdAsync("2");

        eu.Bodies.Should().ContainSingle().Which.Should().Contain("eu-key");
        us.Bodies.Should().ContainSingle().Which.Should().Contain("us-key");
        var monitor = provider.GetRequiredService<IOptionsMonitor<SdApiClientOptions>>();
        monitor.Get("us").MaxRetries.Should().Be(7);
        monitor.Get("eu").MaxRetries.Should().Be(3);
        ((Action)(() => factory.CreateClient("asia"))).Should().Throw<InvalidOperationException>().WithMessage("*asia*");
    }

    [Fact]
    public async Task AddSdApiClient_without_a_name_still_registers_the_client_and_a_second_call_adds_to_it()
    {
        var handler = new CountingServer(CountingServer.Ok);
        var services = new ServiceCollection();
        services.AddSdApiClient(o => { o.BaseAddress = new Uri("http://di.test/"); o.ApiKey = "k"; }).ConfigurePrimaryHttpMessageHandler(() => handler);
        services.AddSdApiClient(o => o.ApiKey = "k2");
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<SdApiClient>().V6.ModelReloadAsync(new ModelReloadRequest { ModelId = "m" });
        handler.PostsSeen.Should().Equal("/api/v6/images/model_reload");
        handler.Bodies[0].Should().Contain("\"k2\"");
        provider.GetRequiredService<ISdApiClientFactory<SdApiClient>>().CreateClient("").Should().NotBeNull();
    }

    [Fact]
    public async Task One_activity_per_call_with_no_key_in_any_tag_and_metrics_by_outcome()
    {
        using var testSource = new ActivitySource("SdApi.Generator.Tests.Telemetry");
        var activities = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is SdApiTelemetry.Name or "SdApi.Generator.Tests.Telemetry",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (activities) activities.Add(a); },
        };
        ActivitySource.AddActivityListener(listener);
        var measurements = new List<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, l) => { if (instrument.Meter.Name == SdApiTelemetry.Name) l.EnableMeasurementEvents(instrument); },
        };
        void Record(Instrument i, double v, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var map = new Dictionary<string, object?>();
            foreach (var t in tags) map[t.Key] = t.Value;
            if (Equals(map.GetValueOrDefault("server.address"), "telemetry.test")) lock (measurements) measurements.Add((i.Name, v, map));
        }
        meters.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
        meters.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        meters.Start();

        var time = new AutoAdvancingTime();
        var server = new CountingServer(CountingServer.Status(429, """{"status":"error","message":"slow down","retry_after":1}"""),
            new Step.Answer(HttpStatusCode.OK, Processing), CountingServer.Ok);
        var client = server.Client(time, o => o.BaseAddress = new Uri("http://telemetry.test/"));
        using (var parent = testSource.StartActivity("test"))
        {
            await client.V6.GenerateAsync(new V6Text2ImgRequest { Prompt = "p" });
        }

        List<Activity> calls;
        lock (activities) calls = activities.Where(a => a.Source.Name == SdApiTelemetry.Name && a.Parent?.Source.Name == "SdApi.Generator.Tests.Telemetry").ToList();
        calls.Select(a => a.DisplayName).Should().Equal("SdApi v6Text2Img", "SdApi v6FetchById");
        calls[0].GetTagItem("sdapi.outcome").Should().Be("processing");
        calls[0].GetTagItem("sdapi.attempts").Should().Be(2);
        calls[0].Events.Select(e => e.Name).Should().Equal("retry");
        calls[1].GetTagItem("sdapi.outcome").Should().Be("success");
        calls.SelectMany(a => a.TagObjects).Should().NotContain(t => (t.Value ?? "").ToString()!.Contains(CountingServer.Key));

        meters.RecordObservableInstruments();
        List<(string Instrument, double Value, Dictionary<string, object?> Tags)> seen;
        lock (measurements) seen = measurements.ToList();
        seen.Where(m => m.Instrument == "sdapi.client.requests").Select(m => (string?)m.Tags["sdapi.outcome"]).Should().BeEquivalentTo(["processing", "success"]);
        seen.Where(m => m.Instrument == "sdapi.client.retries").Should().ContainSingle().Which.Tags["sdapi.retry.reason"].Should().Be("429");
        seen.Where(m => m.Instrument == "sdapi.client.polls").Should().ContainSingle();
        seen.Where(m => m.Instrument == "sdapi.client.duration").Should().HaveCount(2);
        seen.Should().NotContain(m => m.Tags.Values.Any(v => (v ?? "").ToString()!.Contains(CountingServer.Key)));
    }

    [Theory]
    [InlineData("""{"status":"success","id":9,"output":["u"],"track_id":7}""", "7", "9", OutcomeKind.Success)]
    [InlineData("""{"status":"success","id":"9","output":["u"],"track_id":"order-7"}""", "order-7", "9", OutcomeKind.Success)]
    [InlineData("""{"status":"failed","id":9,"message":"x","track_id":"7"}""", "7", "9", OutcomeKind.Failed)]
    [InlineData("""{"status":"failed","id":9,"message":"x"}""", null, "9", OutcomeKind.Failed)]
    public void Webhook_bodies_parse_with_track_id_as_number_or_string(string body, string? trackId, string id, OutcomeKind kind)
    {
        var delivery = SdApiWebhooks.Parse(System.Text.Encoding.UTF8.GetBytes(body));
        delivery.Kind.Should().Be(kind);
        delivery.TrackId.Should().Be(trackId);
        delivery.Id.Should().Be(id);
    }

    /// <summary>Reports synchronously (Progress&lt;T&gt; posts to the thread pool, which would race the assertions).</summary>
    private sealed class SyncProgress(Action<Outcome> report) : IProgress<Outcome>
    {
        public void Report(Outcome value) => report(value);
    }
}
