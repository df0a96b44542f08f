using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SdApi.Bindings;
using SdApi.Bindings.AspNetCore;

namespace SdApi.Generator.Tests.Client;

/// <summary>SdApi.Bindings.AspNetCore's MapSdApiWebhook on Kestrel (127.0.0.1, a free port): typed deliveries reach the
/// handler, malformed bodies get the API's error shape and never reach it.</summary>
public sealed class WebhookEndpointTests : IAsyncLifetime
{
    private WebApplication? _app;
    private HttpClient? _http;
    private readonly List<SdApiWebhookEvent> _received = new();

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapSdApiWebhook("/hooks/sdapi", (delivery, _) =>
        {
            lock (_received) _received.Add(delivery);
            return Task.CompletedTask;
        });
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _http = new HttpClient { BaseAddress = new Uri(address) };
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_app is not null) await _app.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await _http!.PostAsync(new Uri("/hooks/sdapi", UriKind.Relative), content);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync()));
    }

    [Theory]
    [InlineData("""{"status":"success","id":12,"output":["http://x/1.png"],"track_id":7}""", OutcomeKind.Success, "7")]
    [InlineData("""{"status":"failed","id":12,"message":"Failed, Try Again","track_id":"order-7"}""", OutcomeKind.Failed, "order-7")]
    public async Task A_delivery_reaches_the_handler_typed_and_is_acknowledged(string body, OutcomeKind kind, string trackId)
    {
        var (status, answer) = await PostAsync(body);
        status.Should().Be(HttpStatusCode.OK);
        answer!["status"]!.GetValue<string>().Should().Be("success");
        var delivery = _received.Should().ContainSingle().Which;
        delivery.Kind.Should().Be(kind);
        delivery.TrackId.Should().Be(trackId);
        delivery.Id.Should().Be("12");
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_is_refused_in_the_API_error_shape_and_not_handled()
    {
        var (status, answer) = await PostAsync("{not json");
        status.Should().Be(HttpStatusCode.BadRequest);
        answer!["status"]!.GetValue<string>().Should().Be("error");
        answer["message"]!.GetValue<string>().Should().Contain("not valid JSON");
        _received.Should().BeEmpty();
    }
}
