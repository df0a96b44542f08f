using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SdApi.Engine.Imaging;

namespace SdApi.Server.Tests.Infrastructure;

/// <summary>A second Kestrel app on 127.0.0.1 playing the outside world: serves init/mask images, redirects, and
/// receives webhooks (optionally failing the first N deliveries).</summary>
public sealed class Receiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _failuresLeft;

    public static byte[] Png { get; } = MakePng(32, 32);

    private Receiver(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;
    public int Port => BaseAddress.Port;
    public ConcurrentQueue<JsonElement> Deliveries { get; } = new();
    /// <summary>Webhook POSTs received so far, failed or not.</summary>
    public int Attempts => _attempts.Count;
    private readonly CountSignal _attempts = new();
    private readonly CountSignal _deliveries = new();
    private readonly CountSignal _slowRequests = new();

    /// <summary>Completes once <paramref name="count"/> requests for <c>/slow.png</c> (which never answers) have arrived.</summary>
    public Task WaitForSlowRequestsAsync(int count = 1) => _slowRequests.WaitForAsync(count, "requests for slow.png");
    public int ImageRequests;

    public string Url(string path) => new Uri(BaseAddress, path).ToString();

    /// <summary>The next <paramref name="count"/> webhook deliveries get HTTP 500.</summary>
    public void FailNext(int count) => Volatile.Write(ref _failuresLeft, count);

    public static async Task<Receiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new Receiver(app);
        app.MapGet("/image.png", () =>
        {
            Interlocked.Increment(ref receiver.ImageRequests);
            return Results.Bytes(Png, "image/png");
        });
        app.MapGet("/big.png", () => Results.Bytes(new byte[3 * 1024 * 1024], "image/png"));
        app.MapGet("/slow.png", async (CancellationToken ct) =>
        {
            receiver._slowRequests.Increment();
            // A host that never answers: no timer here, the request ends only when the server under test gives up (its
            // UrlFetch:Timeout, on the test's clock) and cancels it (ct).
            await new TaskCompletionSource().Task.WaitAsync(ct);
            return Results.Bytes(Png, "image/png");
        });
        app.MapGet("/redirect", (string to) => Results.Redirect(to));
        app.MapPost("/hook", async (HttpRequest request) =>
        {
            var body = await JsonDocument.ParseAsync(request.Body);
            var fail = Interlocked.Decrement(ref receiver._failuresLeft) >= 0;
            if (!fail)
                receiver.Deliveries.Enqueue(body.RootElement.Clone());
            receiver._attempts.Increment();
            if (fail)
                return Results.StatusCode(500);
            receiver._deliveries.Increment();
            return Results.Ok();
        });
        await app.StartAsync();
        receiver.BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features
            .GetRequiredFeature<IServerAddressesFeature>().Addresses.First() + "/");
        return receiver;
    }

    /// <summary>Completes once <paramref name="count"/> webhook POSTs have arrived (signalled by the handler).</summary>
    public Task WaitForAttemptsAsync(int count) => _attempts.WaitForAsync(count, "webhook attempts");

    /// <summary>The first successful delivery, once it has arrived.</summary>
    public async Task<JsonElement> WaitForDeliveryAsync()
    {
        await _deliveries.WaitForAsync(1, "webhook deliveries");
        Deliveries.TryPeek(out var first).Should().BeTrue();
        return first;
    }

    private static byte[] MakePng(int w, int h)
    {
        var rgb = new byte[w * h * 3];
        for (var i = 0; i < rgb.Length; i++)
            rgb[i] = (byte)(i * 7);
        return PngEncoder.Encode(new RgbImage(w, h, 3, rgb));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
