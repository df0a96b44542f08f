using System.Net;
using System.Net.Sockets;
using SdApi.Bindings;
using SdApi.Bindings.Http;
using SdApi.Generator.Tests.Infrastructure;

namespace SdApi.Generator.Tests.Client;

/// <summary>The client never sends a paid request twice unless the first certainly started no job: counted POSTs per
/// failure, for generation (text2img, img2img, inpaint), model_reload and the idempotent fetch.</summary>
public class RetrySafetyTests
{
    private const string RateLimited = """{"status":"error","message":"Rate limit exceeded. Maximum 5 queued requests allowed.","retry_after":30}""";

    private static Task<Response<Outcome>> Text2Img(SdApiClient client) =>
        client.V6.Text2ImgAsync(new V6Text2ImgRequest { Prompt = "a red circle", TrackId = "t-1" });

    public static TheoryData<string, Step, SdApiUncertainFailure> UncertainFailures => new()
    {
        { "500", CountingServer.Status(500), SdApiUncertainFailure.ServerError },
        { "502 HTML page", new Step.Answer(HttpStatusCode.BadGateway, "<html>bad gateway</html>"), SdApiUncertainFailure.ServerError },
        { "503 (decision: not proof that no job started)", CountingServer.Status(503), SdApiUncertainFailure.ServerError },
        { "timeout", new Step.TimedOut(), SdApiUncertainFailure.Timeout },
        { "reset after sending", new Step.ResetAfterSending(), SdApiUncertainFailure.ConnectionLost },
    };

    [Theory]
    [MemberData(nameof(UncertainFailures))]
    public async Task Generation_is_sent_once_when_a_job_may_exist(string failure, Step step, SdApiUncertainFailure expected)
    {
        var server = new CountingServer(step, CountingServer.Ok);
        var client = server.Client(new AutoAdvancingTime());

        var ex = (await ((Func<Task>)(() => Text2Img(client))).Should().ThrowAsync<SdApiJobMayExistException>(failure)).Which;

        server.PostsSeen.Should().ContainSingle(failure).Which.Should().Be("/api/v6/images/text2img");
        ex.Failure.Should().Be(expected);
        ex.TrackId.Should().Be("t-1");
        ex.Attempts.Should().Be(1);
        ex.OperationId.Should().Be("v6Text2Img");
        ex.Message.Should().Contain("may have been created").And.Contain("t-1").And.NotContain(CountingServer.Key);
    }

    [Theory]
    [MemberData(nameof(UncertainFailures))]
    public async Task Model_reload_and_v4_generation_are_sent_once_too(string failure, Step step, SdApiUncertainFailure expected)
    {
        var reload = new CountingServer(step, CountingServer.Ok);
        (await ((Func<Task>)(() => reload.Client(new AutoAdvancingTime()).V6.ModelReloadAsync(new ModelReloadRequest { ModelId = "m" })))
            .Should().ThrowAsync<SdApiJobMayExistException>(failure)).Which.Failure.Should().Be(expected);
        reload.PostsSeen.Should().ContainSingle();

        var inpaint = new CountingServer(step, CountingServer.Ok);
        await ((Func<Task>)(() => inpaint.Client(new AutoAdvancingTime()).V4.InpaintAsync(new V4InpaintRequest { InitImage = "http://x/i.png", MaskImage = "http://x/m.png" })))
            .Should().ThrowAsync<SdApiJobMayExistException>(failure);
        inpaint.PostsSeen.Should().ContainSingle();
    }

    [Fact]
    public async Task Without_a_track_id_the_exception_says_so()
    {
        var server = new CountingServer(CountingServer.Status(500));
        var ex = (await ((Func<Task>)(() => server.Client(new AutoAdvancingTime()).V6.Img2ImgAsync(new V6Img2ImgRequest { InitImage = "http://x/i.png" })))
            .Should().ThrowAsync<SdApiJobMayExistException>()).Which;
        ex.TrackId.Should().BeNull();
        ex.Message.Should().Contain("no track_id");
        ex.Response!.Status.Should().Be(500);
        server.PostsSeen.Should().ContainSingle();
    }

    [Fact]
    public async Task A_429_is_retried_after_the_bodys_retry_after()
    {
        var time = new AutoAdvancingTime { };
        var server = new CountingServer(CountingServer.Status(429, RateLimited), CountingServer.Ok) { Clock = time };
        var response = await Text2Img(server.Client(time));

        response.Value.Kind.Should().Be(OutcomeKind.Success);
        response.GetRawResponse().Attempts.Should().Be(2);
        server.PostsSeen.Should().HaveCount(2);
        var waited = server.SeenAt[1] - server.SeenAt[0];
        waited.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(30)).And.BeLessThanOrEqualTo(TimeSpan.FromSeconds(33)); // + up to 10% jitter
    }

    [Fact]
    public async Task A_429_is_retried_after_the_Retry_After_header()
    {
        var time = new AutoAdvancingTime();
        var server = new CountingServer(new Step.Answer(HttpStatusCode.TooManyRequests, """{"status":"error","message":"Rate limit exceeded."}""", TimeSpan.FromSeconds(7)), CountingServer.Ok) { Clock = time };
        (await Text2Img(server.Client(time))).Value.Kind.Should().Be(OutcomeKind.Success);
        server.PostsSeen.Should().HaveCount(2);
        (server.SeenAt[1] - server.SeenAt[0]).Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(7)).And.BeLessThanOrEqualTo(TimeSpan.FromSeconds(7.7));
    }

    [Fact]
    public async Task A_429_that_never_ends_returns_the_rate_limit_answer_after_the_retries()
    {
        var server = new CountingServer(CountingServer.Status(429, RateLimited));
        var response = await Text2Img(server.Client(new AutoAdvancingTime(), o => o.MaxRetries = 2));
        response.Status.Should().Be(429);
        response.Value.Should().BeOfType<ErrorResponse>();
        server.PostsSeen.Should().HaveCount(3);
    }

    [Theory]
    [InlineData("refused")]
    [InlineData("dns")]
    public async Task Failures_before_any_byte_was_sent_are_retried(string failure)
    {
        Step first = failure == "refused" ? new Step.Refused() : new Step.DnsFailure();
        var server = new CountingServer(first, first, CountingServer.Ok);
        var response = await Text2Img(server.Client(new AutoAdvancingTime()));
        response.Value.Kind.Should().Be(OutcomeKind.Success);
        server.Attempts.Should().Be(3);
        server.PostsSeen.Should().ContainSingle("only the third attempt reached a server");
    }

    [Fact]
    public async Task A_refused_connection_that_persists_is_a_plain_failure_not_a_maybe_job()
    {
        var server = new CountingServer(new Step.Refused());
        var ex = (await ((Func<Task>)(() => Text2Img(server.Client(new AutoAdvancingTime(), o => o.MaxRetries = 2)))).Should().ThrowAsync<SdApiException>()).Which;
        ex.Should().NotBeOfType<SdApiJobMayExistException>();
        server.Attempts.Should().Be(3);
        server.PostsSeen.Should().BeEmpty();
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(-1)] // timeout
    [InlineData(-2)] // reset after sending
    public async Task The_opt_in_option_retries_generation_at_the_risk_of_a_second_job(int status)
    {
        Step failure = status switch { -1 => new Step.TimedOut(), -2 => new Step.ResetAfterSending(), _ => CountingServer.Status(status) };
        var server = new CountingServer(failure, CountingServer.Ok);
        var response = await Text2Img(server.Client(new AutoAdvancingTime(), o => o.RetryGenerationRiskingDuplicateJobs = true));
        response.Value.Kind.Should().Be(OutcomeKind.Success);
        server.PostsSeen.Should().HaveCount(2);
    }

    [Fact]
    public async Task The_opt_in_option_still_throws_when_the_last_answer_is_5xx()
    {
        var server = new CountingServer(CountingServer.Status(500));
        await ((Func<Task>)(() => Text2Img(server.Client(new AutoAdvancingTime(), o => { o.RetryGenerationRiskingDuplicateJobs = true; o.MaxRetries = 1; }))))
            .Should().ThrowAsync<SdApiJobMayExistException>();
        server.PostsSeen.Should().HaveCount(2);
    }

    public static TheoryData<string, Step> FetchFailures => new()
    {
        { "500", CountingServer.Status(500) },
        { "503", CountingServer.Status(503) },
        { "timeout", new Step.TimedOut() },
        { "reset after sending", new Step.ResetAfterSending() },
        { "429", CountingServer.Status(429, RateLimited) },
    };

    [Theory]
    [MemberData(nameof(FetchFailures))]
    public async Task Fetch_is_idempotent_and_retried_as_before(string failure, Step step)
    {
        var server = new CountingServer(step, CountingServer.Ok);
        var response = await server.Client(new AutoAdvancingTime()).V6.FetchByIdAsync("42");
        response.Value.Kind.Should().Be(OutcomeKind.Success, failure);
        server.PostsSeen.Should().HaveCount(2).And.OnlyContain(p => p == "/api/v6/images/fetch/42");
    }

    [Fact]
    public async Task Against_a_real_closed_port_generation_is_retried_and_nothing_is_billed()
    {
        // A port that was free a moment ago and has no listener: the kernel refuses the connection.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var attempts = 0;
        var counter = new CountAttempts(() => Interlocked.Increment(ref attempts)) { InnerHandler = new SocketsHttpHandler() };
        var client = new SdApiClient(new HttpClient(counter), new SdApiClientOptions { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), ApiKey = "k", MaxRetries = 2 }, null, new AutoAdvancingTime());

        var ex = (await ((Func<Task>)(() => Text2Img(client))).Should().ThrowAsync<SdApiException>()).Which;
        ex.Should().NotBeOfType<SdApiJobMayExistException>();
        ex.InnerException.Should().BeOfType<HttpRequestException>().Which.HttpRequestError.Should().Be(HttpRequestError.ConnectionError);
        attempts.Should().Be(3);
    }

    [Fact]
    public async Task Against_a_real_server_that_resets_after_reading_the_request_generation_is_sent_once()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var posts = 0;
        using var stop = new CancellationTokenSource();
        var serving = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var socket = await listener.AcceptSocketAsync(stop.Token);
                var buffer = new byte[64 * 1024];
                var read = 0;
                // Read until the JSON body has arrived (it ends with '}'), then reset the connection without answering.
                while (read == 0 || buffer[read - 1] != (byte)'}')
                {
                    var n = await socket.ReceiveAsync(buffer.AsMemory(read), stop.Token);
                    if (n == 0) break;
                    read += n;
                }
                if (System.Text.Encoding.ASCII.GetString(buffer, 0, read).StartsWith("POST ", StringComparison.Ordinal)) Interlocked.Increment(ref posts);
                socket.LingerState = new LingerOption(true, 0); // close with RST
                socket.Close();
            }
        });
        var client = new SdApiClient(new HttpClient(), new SdApiClientOptions { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), ApiKey = "k" }, null, new AutoAdvancingTime());

        var ex = (await ((Func<Task>)(() => Text2Img(client))).Should().ThrowAsync<SdApiJobMayExistException>()).Which;
        ex.Failure.Should().Be(SdApiUncertainFailure.ConnectionLost);
        ex.TrackId.Should().Be("t-1");
        posts.Should().Be(1);
        await stop.CancelAsync();
        listener.Stop();
        await ((Func<Task>)(() => serving)).Should().ThrowAsync<Exception>(); // the accept loop ends with the listener
    }

    private sealed class CountAttempts(Action count) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            count();
            return base.SendAsync(request, cancellationToken);
        }
    }
}
