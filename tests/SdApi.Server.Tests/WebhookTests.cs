using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SdApi.Server.Generation;
using SdApi.Server.Tests.Infrastructure;
using SdApi.Server.Webhooks;

namespace SdApi.Server.Tests;

/// <summary>Webhooks: the documented payload with track_id, retries with backoff (bounded), and delivery that never
/// holds up generation.</summary>
public sealed class WebhookTests
{
    private static Dictionary<string, string?> Settings(int maxAttempts = 4, string backoff = "00:00:00.100") => new()
    {
        ["SdApi:UrlFetch:AllowedHosts:0"] = "127.0.0.1",
        ["SdApi:Webhooks:MaxAttempts"] = maxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["SdApi:Webhooks:InitialBackoff"] = backoff,
    };

    [Fact]
    public async Task Success_payload_is_posted_with_track_id_output_and_meta()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var host = await ServerHost.StartAsync(Settings());
        var answer = await host.PostAsync("/api/v6/images/text2img",
            Bodies.Text2Img().With("webhook", receiver.Url("hook")).With("track_id", "order-17"));
        answer.Status.Should().Be("success", answer.Text);

        var payload = await receiver.WaitForDeliveryAsync();

        payload.GetProperty("status").GetString().Should().Be("success");
        payload.GetProperty("id").GetInt64().Should().Be(answer.Body.GetProperty("id").GetInt64());
        payload.GetProperty("track_id").GetString().Should().Be("order-17");
        payload.GetProperty("generationTime").GetDouble().Should().BeGreaterThanOrEqualTo(0);
        payload.GetProperty("output").EnumerateArray().Select(e => e.GetString())
            .Should().Equal(answer.Body.GetProperty("output").EnumerateArray().Select(e => e.GetString()));
        // enhance_prompt defaults to "yes" (the spec's default), so meta.prompt is the enhanced prompt the engine drew
        payload.GetProperty("meta").GetProperty("prompt").GetString().Should().Be(SdApi.Engine.Pipeline.PromptEnhancer.Enhance("a red apple on a wooden table"));
        payload.GetProperty("meta").TryGetProperty("key", out _).Should().BeFalse();
    }

    [Fact]
    public async Task Failed_deliveries_are_retried_with_growing_backoff_until_one_succeeds()
    {
        var clock = new WatchedClock();
        await using var receiver = await Receiver.StartAsync();
        receiver.FailNext(2);
        await using var host = await ServerHost.StartAsync(Settings(backoff: "00:00:00.200"), s => s.AddSingleton<TimeProvider>(clock));
        var ended = DeliveryEnded(host);
        await host.PostAsync("/api/v6/images/text2img", Bodies.Text2Img().With("webhook", receiver.Url("hook")));

        await receiver.WaitForAttemptsAsync(1);
        await clock.WaitForTimerAsync(TimeSpan.FromMilliseconds(200)); // the dispatcher waits out the first backoff
        receiver.Attempts.Should().Be(1, "no retry before the backoff has passed on the clock");
        clock.Advance(TimeSpan.FromMilliseconds(200));
        await receiver.WaitForAttemptsAsync(2);
        await clock.WaitForTimerAsync(TimeSpan.FromMilliseconds(400)); // the backoff doubles
        receiver.Attempts.Should().Be(2);
        clock.Advance(TimeSpan.FromMilliseconds(400));

        await receiver.WaitForDeliveryAsync();
        (await ended).Should().Be("sent");
        receiver.Attempts.Should().Be(3);
        receiver.Deliveries.Should().ContainSingle();
    }

    [Fact]
    public async Task Retries_are_bounded()
    {
        var clock = new WatchedClock();
        await using var receiver = await Receiver.StartAsync();
        receiver.FailNext(100);
        await using var host = await ServerHost.StartAsync(Settings(maxAttempts: 3, backoff: "00:00:00.050"), s => s.AddSingleton<TimeProvider>(clock));
        var ended = DeliveryEnded(host);
        await host.PostAsync("/api/v6/images/text2img", Bodies.Text2Img().With("webhook", receiver.Url("hook")));

        await receiver.WaitForAttemptsAsync(1);
        await clock.WaitForTimerAsync(TimeSpan.FromMilliseconds(50));
        clock.Advance(TimeSpan.FromMilliseconds(50));
        await receiver.WaitForAttemptsAsync(2);
        await clock.WaitForTimerAsync(TimeSpan.FromMilliseconds(100));
        clock.Advance(TimeSpan.FromMilliseconds(100));

        // the dispatcher says the delivery is over: no further attempt for this job can follow (a fourth attempt would
        // first ask for a 200 ms backoff, which ends this wait at once instead of after the 30 s timeout)
        var fourthBackoff = clock.WaitForTimerAsync(TimeSpan.FromMilliseconds(200));
        var first = await Task.WhenAny(ended, fourthBackoff);
        (first == fourthBackoff).Should().BeFalse("the third failed attempt is the last, yet a fourth backoff was asked for");
        (await ended).Should().Be("failed");
        receiver.Attempts.Should().Be(3);
        clock.DueTimes.Should().NotContain(TimeSpan.FromMilliseconds(200), "there is no backoff after the last attempt");
        receiver.Deliveries.Should().BeEmpty();
    }

    /// <summary>The final webhook_status of the first delivery that ends (signalled by the server's dispatcher).</summary>
    private static Task<string> DeliveryEnded(ServerHost host)
    {
        var ended = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Services.GetRequiredService<WebhookDispatcher>().DeliveryEnded += (_, status) => ended.TrySetResult(status);
        return ended.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_failing_receiver_never_holds_up_generation()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.FailNext(100);
        await using var host = await ServerHost.StartAsync(Settings(maxAttempts: 5, backoff: "00:00:30"));

        var first = await host.PostAsync("/api/v6/images/text2img", Bodies.Text2Img().With("webhook", receiver.Url("hook")));
        // a receiver that is not there (an allowed address, nothing listening): delivery fails and retries in the background
        var second = await host.PostAsync("/api/v6/images/text2img", Bodies.Text2Img().With("webhook", "http://127.0.0.1:9/hook"));
        var third = await host.PostAsync("/api/v6/images/text2img", Bodies.Text2Img());

        new[] { first, second, third }.Select(a => a.Status).Should().AllBe("success");
    }

    [Fact]
    public async Task A_failed_generation_posts_the_failure_payload_and_fetch_says_failed()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var host = await ServerHost.StartAsync(Settings(), services =>
        {
            services.RemoveAll<IImageGenerator>();
            services.AddSingleton<IImageGenerator, ExplodingGenerator>();
        });

        var answer = await host.PostAsync("/api/v4/dreambooth",
            Bodies.Text2Img().With("webhook", receiver.Url("hook")).With("track_id", "t-1"));
        answer.Status.Should().Be("failed", answer.Text);
        answer.Body.GetProperty("output").GetString().Should().Be("");
        var id = answer.Body.GetProperty("id").GetInt64();

        var payload = await receiver.WaitForDeliveryAsync();
        payload.GetProperty("status").GetString().Should().Be("failed");
        payload.GetProperty("id").GetInt64().Should().Be(id);
        payload.GetProperty("track_id").GetString().Should().Be("t-1");
        payload.GetProperty("message").GetString().Should().Be("engine exploded");

        var fetched = await host.PostAsync($"/api/v4/dreambooth/fetch/{id}", new JsonObject { ["key"] = ServerHost.Key });
        fetched.Status.Should().Be("failed");
        fetched.Message.Should().Be("engine exploded");
    }

    [Fact]
    public async Task A_delivery_cut_short_by_a_restart_is_made_by_the_next_start()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "sdapi-server-tests", Guid.NewGuid().ToString("N"));
        try
        {
            await using var receiver = await Receiver.StartAsync();
            receiver.FailNext(1);
            await using (var first = await ServerHost.StartAsync(Settings(backoff: "00:01:00"), dataDir: dataDir))
            {
                await first.PostAsync("/api/v6/images/text2img", Bodies.Text2Img().With("webhook", receiver.Url("hook")).With("track_id", "again"));
                await receiver.WaitForAttemptsAsync(1);
                receiver.Attempts.Should().Be(1, "the retry is a minute away");
            }

            await using var second = await ServerHost.StartAsync(Settings(), dataDir: dataDir);
            var payload = await receiver.WaitForDeliveryAsync();
            payload.GetProperty("track_id").GetString().Should().Be("again");
        }
        finally
        {
            ServerHost.TryDelete(dataDir);
        }
    }

    private sealed class ExplodingGenerator : IImageGenerator
    {
        public Task<GeneratedImages> GenerateAsync(GenerationParameters parameters, IReadOnlyDictionary<string, byte[]> inputs,
            IProgress<double>? progress, CancellationToken ct) => throw new InvalidOperationException("engine exploded");
    }
}
