using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SdApi.Bindings;
using SdApi.Bindings.Http;

namespace SdApi.Generator.Tests;

/// <summary>The generated client over an in-memory HttpMessageHandler: key handling, validation, retries, polling.</summary>
public class ClientTests
{
    private sealed class Handler(Func<HttpRequestMessage, string, int, HttpResponseMessage> respond) : HttpMessageHandler
    {
        public List<(string Path, string Body)> Requests { get; } = new();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
            Requests.Add((request.RequestUri!.AbsolutePath, body));
            return respond(request, body, Requests.Count);
        }
    }

    private static HttpResponseMessage Json(string json, HttpStatusCode status = HttpStatusCode.OK)
        => new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    private static (SdApiClient Client, Handler Handler) Create(Func<HttpRequestMessage, string, int, HttpResponseMessage> respond, Action<SdApiClientOptions>? configure = null)
    {
        var handler = new Handler(respond);
        var options = new SdApiClientOptions { BaseAddress = new Uri("http://sdapi.test/"), ApiKey = "secret-key-123" };
        configure?.Invoke(options);
        // Retry and polling waits pass at once on a fake clock (default delays: seconds).
        return (new SdApiClient(new HttpClient(handler), options, null, new Infrastructure.AutoAdvancingTime()), handler);
    }

    private const string Success = """{"status":"success","generationTime":1.2,"id":42,"output":["http://x/a.png"],"meta":{"W":512}}""";

    [Fact]
    public async Task Sends_the_documented_wire_form_with_the_key_from_options()
    {
        var (client, handler) = Create((_, _, _) => Json(Success));
        var response = await client.V6.Text2ImgAsync(new V6Text2ImgRequest { Prompt = "a cat", Width = 512, SafetyChecker = true });
        response.Value.Should().BeOfType<SuccessResponse>().Which.Output.Should().Equal("http://x/a.png");
        response.GetRawResponse().Status.Should().Be(200);
        handler.Requests.Should().ContainSingle().Which.Path.Should().Be("/api/v6/images/text2img");
        var sent = JsonNode.Parse(handler.Requests[0].Body)!;
        sent["key"]!.GetValue<string>().Should().Be("secret-key-123");
        sent["width"]!.GetValue<int>().Should().Be(512);
        sent["safety_checker"]!.GetValue<string>().Should().Be("yes");
    }

    [Fact]
    public async Task Invalid_requests_are_not_sent_and_list_every_violation()
    {
        var (client, handler) = Create((_, _, _) => Json(Success));
        var act = () => client.V6.Text2ImgAsync(new V6Text2ImgRequest { Prompt = "p", Width = 5000, Samples = 9 });
        var ex = (await act.Should().ThrowAsync<SdApiValidationException>()).Which;
        ex.Result.Errors.Keys.Should().Contain(["width", "samples"]);
        ex.Message.Should().NotContain("secret-key-123");
        handler.Requests.Should().BeEmpty();

        var (lenient, sentHandler) = Create((_, _, _) => Json(Success), o => o.ValidateRequests = false);
        await lenient.V6.Text2ImgAsync(new V6Text2ImgRequest { Prompt = "p", Width = 5000 });
        sentHandler.Requests.Should().ContainSingle();
    }

    [Fact]
    public async Task Without_a_base_address_the_first_spec_server_is_used()
    {
        Uri? sent = null;
        var handler = new Handler((request, _, _) => { sent = request.RequestUri; return Json(Success); });
        var client = new SdApiClient(new HttpClient(handler), new SdApiClientOptions { ApiKey = "k" });
        await client.V6.FetchAsync(new FetchRequest { RequestId = 5 });
        SdApiClient.DefaultBaseAddress.Should().NotBeNull();
        sent.Should().Be(new Uri(SdApiClient.DefaultBaseAddress!, "api/v6/images/fetch"));
    }

    [Fact]
    public void The_key_never_appears_in_ToString()
    {
        new V6Text2ImgRequest { Key = "secret-key-123", Prompt = "p" }.ToString().Should().NotContain("secret-key-123").And.Contain("***").And.Contain("Prompt = p");
        new SdApiClientOptions { ApiKey = "secret-key-123" }.ToString().Should().NotContain("secret-key-123");
    }

    [Fact]
    public async Task Fetch_retries_429_and_5xx_then_returns_the_outcome()
    {
        var (client, handler) = Create((_, _, n) => n switch
        {
            1 => Json("""{"status":"error","message":"Rate limit exceeded.","retry_after":0}""", HttpStatusCode.TooManyRequests),
            2 => Json("""{"status":"error","message":"boom"}""", HttpStatusCode.BadGateway),
            _ => Json(Success),
        });
        var response = await client.V4.FetchByIdAsync("5");
        response.Value.Kind.Should().Be(OutcomeKind.Success);
        response.GetRawResponse().Attempts.Should().Be(3);
        handler.Requests.Should().HaveCount(3);
    }

    [Fact]
    public async Task Gives_up_after_max_retries_with_the_error_outcome()
    {
        var (client, handler) = Create((_, _, _) => Json("""{"status":"error","message":"down"}""", HttpStatusCode.ServiceUnavailable), o => o.MaxRetries = 2);
        var response = await client.V6.FetchAsync(new FetchRequest { RequestId = "1" });
        response.Status.Should().Be(503);
        response.Value.Should().BeOfType<ErrorResponse>().Which.Message.Should().Be("down");
        handler.Requests.Should().HaveCount(3);
    }

    [Fact]
    public async Task A_non_json_answer_is_an_exception_without_the_key()
    {
        var (client, _) = Create((_, _, _) => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("<html>oops</html>") });
        var ex = (await ((Func<Task>)(() => client.V6.FetchAsync(new FetchRequest { RequestId = "1" }))).Should().ThrowAsync<SdApiException>()).Which;
        ex.Message.Should().NotContain("secret-key-123");
        ex.Response!.Status.Should().Be(200);
    }

    [Fact]
    public void Retry_after_is_read_from_the_body()
    {
        SdApiPipeline.ReadRetryAfter("""{"status":"error","retry_after":30}"""u8).Should().Be(30);
        SdApiPipeline.ReadRetryAfter("""{"retry_after":"12"}"""u8).Should().Be(12);
        SdApiPipeline.ReadRetryAfter("not json"u8).Should().BeNull();
    }

    [Fact]
    public async Task WaitForCompletion_polls_fetch_by_id_until_success_using_eta()
    {
        var (client, handler) = Create((req, _, n) => n < 3
            ? Json("""{"status":"processing","eta":0.001,"messege":"try again later.","id":77,"output":""}""")
            : Json(Success));
        var started = Outcome.FromJson("""{"status":"processing","eta":0.001,"id":77,"output":[]}""");
        var done = await client.V6.WaitForCompletionAsync("77");
        done.Value.Kind.Should().Be(OutcomeKind.Success);
        handler.Requests.Should().HaveCount(3).And.OnlyContain(r => r.Path == "/api/v6/images/fetch/77");
        started.IsTerminal.Should().BeFalse();
    }

    [Theory]
    [InlineData("""{"status":"error","message":"bad"}""", OutcomeKind.Error)]
    [InlineData("""{"status":"failed","id":"","message":"Failed, Try Again","output":""}""", OutcomeKind.Failed)]
    public async Task WaitForCompletion_stops_on_error_and_failed(string answer, OutcomeKind kind)
    {
        var (client, handler) = Create((_, _, _) => Json(answer));
        (await client.V4.WaitForCompletionAsync("5")).Value.Kind.Should().Be(kind);
        handler.Requests.Should().ContainSingle();
    }

    [Fact]
    public async Task WaitForCompletion_gives_up_after_the_deadline()
    {
        var (client, _) = Create((_, _, _) => Json("""{"status":"processing","eta":0.001,"id":1}"""), o => o.PollingTimeout = TimeSpan.FromSeconds(50));
        await ((Func<Task>)(() => client.V6.WaitForCompletionAsync("1"))).Should().ThrowAsync<TimeoutException>();
    }

    [Fact]
    public async Task AddSdApiClient_registers_a_factory_client()
    {
        var services = new ServiceCollection();
        var handler = new Handler((_, _, _) => Json(Success));
        services.AddSdApiClient(o => { o.BaseAddress = new Uri("http://di.test/"); o.ApiKey = "k"; })
            .ConfigurePrimaryHttpMessageHandler(() => handler);
        using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<SdApiClient>();
        (await client.V6.ModelReloadAsync(new ModelReloadRequest { ModelId = "m" })).Value.Kind.Should().Be(OutcomeKind.Success);
        handler.Requests.Single().Path.Should().Be("/api/v6/images/model_reload");
    }

    [Fact]
    public void Webhook_bodies_read_as_outcomes()
    {
        SdApiWebhooks.Read("""{"status":"success","id":9,"output":["u"],"track_id":"t"}"""u8).Should().BeOfType<SuccessResponse>();
        SdApiWebhooks.Read("""{"status":"failed","id":9,"message":"x","track_id":"t"}"""u8).Kind.Should().Be(OutcomeKind.Failed);
    }

    [Fact]
    public void Base64_outputs_decode()
    {
        Bindings.Outputs.ImageOutputs.IsBase64Link("https://x/y/0-abc.base64").Should().BeTrue();
        Bindings.Outputs.ImageOutputs.DecodeBase64("data:image/png;base64,AQID").Should().Equal(1, 2, 3);
        Bindings.Outputs.ImageOutputs.DecodeBase64(" AQID\n").Should().Equal(1, 2, 3);
    }
}
