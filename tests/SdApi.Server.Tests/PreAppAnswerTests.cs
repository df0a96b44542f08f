using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SdApi.Server.Tests.Infrastructure;

namespace SdApi.Server.Tests;

/// <summary>Answers made before the app runs (Kestrel's 400/408/431) and the wrong-key throttle's 429 are in the API's
/// JSON shape too.</summary>
public sealed class PreAppAnswerTests
{
    [Theory]
    [InlineData("POST /api/v6/images/fetch/1%00 HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}", 400)]
    [InlineData("POST /api/v6/images/text2img HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n", 400)]
    [InlineData("GET /health HTTP/1.1\r\nHost: x\r\nX-Big: {big}\r\n\r\n", 431)]
    [InlineData("BROKEN\r\n\r\n", 400)]
    public async Task Kestrel_refusals_carry_the_api_error_body(string request, int status)
    {
        await using var host = await ServerHost.StartAsync();
        var (code, contentType, body) = await RawAsync(host, request.Replace("{big}", new string('b', 40_000), StringComparison.Ordinal));
        code.Should().Be(status, body);
        contentType.Should().Be("application/json");
        using var json = JsonDocument.Parse(body);
        json.RootElement.GetProperty("status").GetString().Should().Be("error");
        json.RootElement.GetProperty("message").GetString().Should().NotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task Slow_headers_get_408_with_the_api_error_body()
    {
        await using var host = await ServerHost.StartAsync(services: services =>
            services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(k => k.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(1)));
        // Headers that never end: Kestrel's timeout (checked on its 1 s heartbeat) answers.
        var (code, contentType, body) = await RawAsync(host, "GET /health HTTP/1.1\r\nHost: x\r\n", readUntilClosed: true);
        code.Should().Be(408, body);
        contentType.Should().Be("application/json");
        JsonDocument.Parse(body).RootElement.GetProperty("status").GetString().Should().Be("error");
    }

    [Fact]
    public async Task An_address_sending_wrong_keys_gets_429_until_its_window_ends()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var host = await ServerHost.StartAsync(new Dictionary<string, string?>
        {
            ["SdApi:Limits:MaxFailedKeysPerAddress"] = "3",
            ["SdApi:Limits:FailedKeyWindow"] = "00:01:00",
        }, services => services.AddSingleton<TimeProvider>(clock));
        var wrong = new System.Text.Json.Nodes.JsonObject { ["key"] = "wrong", ["request_id"] = "1" };
        for (var i = 0; i < 3; i++)
            (await host.PostAsync("/api/v6/images/fetch", wrong)).StatusCode.Should().Be(401);

        var throttled = await host.PostAsync("/api/v6/images/fetch", wrong);
        throttled.StatusCode.Should().Be(429, throttled.Text);
        throttled.Status.Should().Be("error");
        throttled.Body.GetProperty("retry_after").GetInt32().Should().Be(60);
        var right = await host.PostAsync("/api/v6/images/fetch", new System.Text.Json.Nodes.JsonObject { ["key"] = ServerHost.Key, ["request_id"] = "1" });
        right.StatusCode.Should().Be(429, "the address is throttled whatever key it sends now");

        clock.Advance(TimeSpan.FromSeconds(61));
        (await host.PostAsync("/api/v6/images/fetch", wrong)).StatusCode.Should().Be(401, "a new window");
    }

    private static async Task<(int Status, string? ContentType, string Body)> RawAsync(ServerHost host, string request, bool readUntilClosed = false)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(host.BaseAddress.Host, host.BaseAddress.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            int read;
            try { read = await stream.ReadAsync(chunk, cts.Token); }
            catch (IOException) { break; }
            catch (OperationCanceledException) { break; }
            if (read == 0) break;
            buffer.Write(chunk, 0, read);
            if (!readUntilClosed && Complete(buffer.ToArray())) break;
        }
        var text = Encoding.UTF8.GetString(buffer.ToArray());
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        split.Should().BePositive(text);
        var head = text[..split].Split("\r\n");
        var status = int.Parse(head[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var contentType = head.FirstOrDefault(h => h.StartsWith("Content-Type:", StringComparison.OrdinalIgnoreCase))?.Split(':', 2)[1].Trim().Split(';')[0];
        return (status, contentType, text[(split + 4)..]);
    }

    private static bool Complete(byte[] bytes)
    {
        var text = Encoding.UTF8.GetString(bytes);
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (split < 0) return false;
        var length = text[..split].Split("\r\n").FirstOrDefault(h => h.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        return length is not null && Encoding.UTF8.GetByteCount(text[(split + 4)..]) >= int.Parse(length.Split(':')[1].Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
