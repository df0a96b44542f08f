using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SdApi.Bindings;
using SdApi.Bindings.Server;
using SdApi.Generator.Tests.ServerStubs;

namespace SdApi.Generator.Tests;

/// <summary>The server stubs this test project generates (SdApiEmit=Server over SdApi.Bindings' models), run on Kestrel:
/// bad input gets the API's error shape with the right status, never a 500, and never reaches the handler.</summary>
public sealed class ServerStubTests : IAsyncLifetime
{
    private WebApplication? _app;
    private HttpClient? _http;
    private readonly RecordingHandler _handler = new();

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<ISdApiHandler>(_handler);
        builder.Services.AddSingleton(new SdApiServerOptions { MaxBodyBytes = 4096 });
        _app = builder.Build();
        _app.MapSdApi();
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _http = new HttpClient { BaseAddress = new Uri(address) };
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_app is not null) await _app.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(string path, string body, string contentType = "application/json")
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        using var response = await _http!.PostAsync(new Uri(path, UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    [Fact]
    public async Task Valid_request_reaches_the_handler_tolerantly_read()
    {
        var (status, body) = await PostAsync("/api/v6/images/text2img", """{"key":"k","prompt":"a cat","width":"512","safety_checker":"YES","unknown_field":{"x":1}}""");
        status.Should().Be(HttpStatusCode.OK);
        body!["status"]!.GetValue<string>().Should().Be("success");
        var request = _handler.Received.Should().ContainSingle().Which.Should().BeOfType<V6Text2ImgRequest>().Subject;
        request.Width.Should().Be(512);
        request.SafetyChecker.Should().BeTrue();
    }

    [Fact]
    public async Task Path_parameters_reach_the_handler()
    {
        var (status, _) = await PostAsync("/api/v4/dreambooth/fetch/12345", """{"key":"k"}""");
        status.Should().Be(HttpStatusCode.OK);
        _handler.Ids.Should().Equal("12345");
    }

    [Fact]
    public async Task Validation_errors_are_400_in_the_api_shape()
    {
        var (status, body) = await PostAsync("/api/v6/images/text2img", """{"prompt":"p","width":5000,"samples":"abc"}""");
        status.Should().Be(HttpStatusCode.BadRequest);
        body!["status"]!.GetValue<string>().Should().Be("error");
        body["message"]!.AsObject().Select(kv => kv.Key).Should().Contain(["key", "width", "samples"]);
        _handler.Received.Should().BeEmpty();
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[1,2]")]
    [InlineData("")]
    [InlineData("{\"key\":\"k\"} trailing")]
    public async Task Malformed_json_is_400(string json)
    {
        var (status, body) = await PostAsync("/api/v6/images/text2img", json);
        status.Should().Be(HttpStatusCode.BadRequest);
        body!["status"]!.GetValue<string>().Should().Be("error");
        body["message"]!.GetValue<string>().Should().Contain("JSON");
    }

    [Theory]
    [InlineData("""{"key":"k","prompt":"p","guidance_scale":1e400}""", "guidance_scale")]
    [InlineData("""{"key":"k","prompt":"p","width":99999999999999999999}""", "width")]
    [InlineData("""{"key":"k","prompt":"p","lora_strength":1e400,"lora_model":"a"}""", "lora_strength")]
    [InlineData("""{"key":"k","prompt":"p","meta":{"deep":[[[[[[[[[[1]]]]]]]]]]},"width":{"x":1}}""", "width")]
    public async Task Extreme_values_are_400_not_500(string json, string field)
    {
        var (status, body) = await PostAsync("/api/v6/images/text2img", json);
        status.Should().Be(HttpStatusCode.BadRequest);
        body!["message"]![field].Should().NotBeNull();
    }

    [Fact]
    public async Task Wrong_content_type_is_415()
    {
        var (status, body) = await PostAsync("/api/v6/images/text2img", "key=k&prompt=p", "application/x-www-form-urlencoded");
        status.Should().Be(HttpStatusCode.UnsupportedMediaType);
        body!["status"]!.GetValue<string>().Should().Be("error");
    }

    [Fact]
    public async Task Too_large_is_413()
    {
        var (status, body) = await PostAsync("/api/v6/images/text2img", "{\"key\":\"k\",\"prompt\":\"" + new string('a', 5000) + "\"}");
        status.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        body!["status"]!.GetValue<string>().Should().Be("error");
    }

    [Fact]
    public async Task Handler_status_and_rate_limit_shape_are_written()
    {
        _handler.Next = OperationResult.RateLimited("Rate limit exceeded.", 30);
        using var content = new StringContent("""{"key":"k","request_id":"1"}""", Encoding.UTF8, "application/json");
        using var response = await _http!.PostAsync(new Uri("/api/v6/images/fetch", UriKind.Relative), content);
        response.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(30));
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!["retry_after"]!.GetValue<int>().Should().Be(30);
    }

    private sealed class RecordingHandler : ISdApiHandler
    {
        private static readonly SuccessResponse Done = new() { Id = 1, Output = ["http://x/1.png"] };

        public List<object> Received { get; } = new();
        public List<string> Ids { get; } = new();
        public OperationResult? Next { get; set; }

        private ValueTask<OperationResult> Answer(object request)
        {
            Received.Add(request);
            var next = Next ?? OperationResult.Ok(Done);
            Next = null;
            return ValueTask.FromResult(next);
        }

        private ValueTask<OperationResult> AnswerId(string id, object request)
        {
            Ids.Add(id);
            return Answer(request);
        }

        public ValueTask<OperationResult> V4Text2ImgAsync(V4Text2ImgRequest request, HttpContext context, CancellationToken cancellationToken) => Answer(request);
        public ValueTask<OperationResult> V4Img2ImgAsync(V4Img2ImgRequest request, HttpContext context, CancellationToken cancellationToken) => Answer(request);
        public ValueTask<OperationResult> V4InpaintAsync(V4InpaintRequest request, HttpContext context, CancellationToken cancellationToken) => Answer(request);
        public ValueTask<OperationResult> V4FetchAsync(FetchRequest request, HttpContext context, CancellationToken cancellationToken) => Answer(request);
        public ValueTask<OperationResult> V4FetchByIdAsync(string id, FetchByIdRequest request, HttpContext context, CancellationToken cancellationToken) => AnswerId(id, request);
        public ValueTask<OperationResult> V4ModelReloadAsync(ModelReloadRequest request, HttpContext context, CancellationToken cancellationToken) => Answer(request);
        public ValueTask<OperationResult> V6Text2ImgAsync(V6Text2ImgRequest request, HttpContext context, CancellationToken cancellationToken) => Answer(request);
        public ValueTask<OperationResult> V6Img2ImgAsync(V6Img2ImgRequest request, HttpContext context, CancellationToken cancellationToken) => Answer(request);
        public ValueTask<OperationResult> V6InpaintAsync(V6InpaintRequest request, HttpContext context, CancellationToken cancellationToken) => Answer(request);
        public ValueTask<OperationResult> V6FetchAsync(FetchRequest request, HttpContext context, CancellationToken cancellationToken) => Answer(request);
        public ValueTask<OperationResult> V6FetchByIdAsync(string id, FetchByIdRequest request, HttpContext context, CancellationToken cancellationToken) => AnswerId(id, request);
        public ValueTask<OperationResult> V6ModelReloadAsync(ModelReloadRequest request, HttpContext context, CancellationToken cancellationToken) => Answer(request);
        public ValueTask<OperationResult> V3FetchByIdAsync(string id, FetchByIdRequest request, HttpContext context, CancellationToken cancellationToken) => AnswerId(id, request);
    }
}
