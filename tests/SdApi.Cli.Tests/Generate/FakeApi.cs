using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SdApi.Cli.Tests.Generate;

/// <summary>A scripted stand-in for an API on 127.0.0.1 (free port): each POST gets the next answer scripted for
/// its path (bodies built with the generated models, so they follow the spec), every body is recorded, and
/// GET /files/{name} serves bytes. `sdapi generate` must work against any base URL, not only the reference server.</summary>
internal sealed class FakeApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<(int Status, string Json)>> _answers = new(StringComparer.OrdinalIgnoreCase);

    private FakeApi(WebApplication app) => _app = app;

    public ConcurrentQueue<(string Path, JsonObject Body)> Requests { get; } = new();

    public ConcurrentDictionary<string, byte[]> Files { get; } = new(StringComparer.Ordinal);

    public Uri BaseUrl { get; private set; } = null!;

    public static async Task<FakeApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeApi(app);
        app.MapPost("/{**path}", async (HttpContext http, string path) =>
        {
            var body = await JsonNode.ParseAsync(http.Request.Body) as JsonObject ?? [];
            fake.Requests.Enqueue(("/" + path, body));
            if (!fake._answers.TryGetValue("/" + path, out var queue) || !queue.TryDequeue(out var answer))
                return Results.Json(new { status = "error", message = $"no scripted answer for /{path}" }, statusCode: 404);
            return Results.Text(answer.Json, "application/json", statusCode: answer.Status);
        });
        app.MapGet("/files/{name}", (string name) =>
            fake.Files.TryGetValue(name, out var bytes) ? Results.Bytes(bytes, "image/png") : Results.NotFound());
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.BaseUrl = new Uri(address.TrimEnd('/') + "/");
        return fake;
    }

    /// <summary>Queues the answers for POSTs to <paramref name="path"/>, in order.</summary>
    public void Answer(string path, params string[] jsonBodies)
    {
        var queue = _answers.GetOrAdd(path, _ => new ConcurrentQueue<(int, string)>());
        foreach (var json in jsonBodies)
            queue.Enqueue((200, json));
    }

    public string FileUrl(string name) => new Uri(BaseUrl, "files/" + name).ToString();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
