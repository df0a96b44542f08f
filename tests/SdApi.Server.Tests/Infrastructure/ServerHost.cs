using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using SdApi.Server.Hosting;
using SdApi.Server.Jobs;

namespace SdApi.Server.Tests.Infrastructure;

/// <summary>The real server (SdApiServer.Build, Kestrel) on a free 127.0.0.1 port with a temporary data folder and the
/// key <see cref="Key"/>; disposed at the end of a test.</summary>
public sealed class ServerHost : IAsyncDisposable
{
    public const string Key = "test-key";

    private readonly WebApplication _app;
    private readonly bool _ownsDataDir;

    private ServerHost(WebApplication app, string dataDir, bool ownsDataDir, Uri baseAddress)
    {
        _app = app;
        _ownsDataDir = ownsDataDir;
        DataDir = dataDir;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri BaseAddress { get; }
    public string DataDir { get; }
    public HttpClient Http { get; }
    public IServiceProvider Services => _app.Services;

    /// <param name="settings">configuration keys (e.g. <c>SdApi:Jobs:SyncBudget</c>) and values.</param>
    public static async Task<ServerHost> StartAsync(IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null, string? dataDir = null, bool withKey = true)
    {
        var ownsDataDir = dataDir is null;
        dataDir ??= Path.Combine(Path.GetTempPath(), "sdapi-server-tests", Guid.NewGuid().ToString("N"));
        var all = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["SdApi:DataDir"] = dataDir,
            ["Logging:LogLevel:Default"] = "Warning",
            ["SdApi:Jobs:ShutdownGrace"] = "00:00:01",
        };
        if (withKey)
            all["SdApi:Keys:0"] = Key;
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
            all[k] = v;
        var args = all.Select(p => $"--{p.Key}={p.Value}").ToArray();
        var app = SdApiServer.Build(args, builder =>
        {
            if (services is not null)
                services(builder.Services);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new ServerHost(app, dataDir, ownsDataDir, new Uri(address));
    }

    /// <summary>POSTs a JSON body (any object, or a JsonNode) and returns the status and the parsed answer.</summary>
    public Task<ApiAnswer> PostAsync(string path, object body) => PostRawAsync(path, Serialize(body), "application/json");

    public async Task<ApiAnswer> PostRawAsync(string path, string body, string? contentType)
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = contentType is null ? null : MediaTypeHeaderValue.Parse(contentType);
        using var response = await Http.PostAsync(path, content);
        return await ApiAnswer.ReadAsync(response);
    }

    public static string Serialize(object body) => body is JsonNode node ? node.ToJsonString() : JsonSerializer.Serialize(body);

    /// <summary>Completes once job <paramref name="id"/> is final, signalled by the server's job runner (no polling);
    /// fails after 30 s so a broken server cannot hang the suite.</summary>
    public async Task WaitForJobAsync(long id)
    {
        var completions = Services.GetRequiredService<JobCompletions>();
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnFinished(JobRecord job)
        {
            if (job.Id == id) finished.TrySetResult();
        }
        completions.AnyFinished += OnFinished;
        try
        {
            // subscribed first, then read: a job that finished in between is seen by one of the two
            if ((await Services.GetRequiredService<JobStore>().GetAsync(id, CancellationToken.None)) is { IsFinished: true })
                return;
            await finished.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            completions.AnyFinished -= OnFinished;
        }
    }

    /// <summary>Stops the server the way the host does on Ctrl+C (graceful).</summary>
    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        try { await _app.StopAsync(); } catch (ObjectDisposedException) { }
        await _app.DisposeAsync();
        if (_ownsDataDir)
            TryDelete(DataDir);
    }

    public static void TryDelete(string dir)
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>An HTTP answer: status code, content type and the JSON body (or null when the body is not JSON).</summary>
public sealed record ApiAnswer(int StatusCode, string? ContentType, string Text, JsonElement? Json)
{
    public static async Task<ApiAnswer> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        JsonElement? json = null;
        try { json = JsonDocument.Parse(text).RootElement.Clone(); } catch (JsonException) { }
        return new ApiAnswer((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, text, json);
    }

    public JsonElement Body => Json ?? throw new InvalidOperationException($"Not JSON ({StatusCode}): {Text}");
    public string? Status => Body.TryGetProperty("status", out var s) ? s.GetString() : null;

    /// <summary><c>message</c> or <c>messege</c> when it is a string.</summary>
    public string? Message =>
        (Body.TryGetProperty("message", out var m) || Body.TryGetProperty("messege", out m)) && m.ValueKind == JsonValueKind.String
            ? m.GetString() : null;

    /// <summary>The fields a validation answer names (<c>message</c> as an object).</summary>
    public IReadOnlyList<string> Fields =>
        Body.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.Object
            ? [.. m.EnumerateObject().Select(p => p.Name)] : [];

    public override string ToString() => $"{StatusCode} {Text}";
}
