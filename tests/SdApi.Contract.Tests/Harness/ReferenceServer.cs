using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SdApi.Server.Generation;
using SdApi.Server.Hosting;

namespace SdApi.Contract.Tests.Harness;

/// <summary>The reference server (SdApiServer.Build, Kestrel) on a free 127.0.0.1 port with a temporary data folder and
/// the key <see cref="Key"/>. The image engine (ONNX) is swapped for 1x1 PNGs: these tests check the wire contract, and
/// hundreds of generate requests must stay cheap.</summary>
public sealed class ReferenceServer : IAsyncDisposable
{
    public const string Key = "test-key";

    private readonly WebApplication _app;
    private readonly string _dataDir;

    private ReferenceServer(WebApplication app, string dataDir, Uri baseUrl)
    {
        _app = app;
        _dataDir = dataDir;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    /// <param name="extraArgs">more configuration, e.g. <c>--SdApi:UrlFetch:AllowedHosts:0=127.0.0.1</c>.</param>
    public static async Task<ReferenceServer> StartAsync(params string[] extraArgs)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "sdapi-contract-server-" + Guid.NewGuid().ToString("N"));
        string[] args =
        [
            "--urls=http://127.0.0.1:0",
            $"--SdApi:DataDir={dataDir}",
            $"--SdApi:Keys:0={Key}",
            "--SdApi:Limits:MaxQueuedPerKey=100000",
            // the suites send many wrong keys from 127.0.0.1 on purpose (edge rows, the matrix): no failed-key throttle
            "--SdApi:Limits:MaxFailedKeysPerAddress=1000000",
            "--SdApi:Jobs:MaxConcurrentGenerations=4",
            "--SdApi:Jobs:ShutdownGrace=00:00:01",
            "--SdApi:UrlFetch:Timeout=00:00:00.2", // the rows' image URLs (example.com) are unreachable here; fail fast
            "--SdApi:Webhooks:MaxAttempts=1", // edge rows name webhook URLs nobody listens on
            "--Logging:LogLevel:Default=Warning",
            .. extraArgs,
        ];
        var app = SdApiServer.Build(args, builder =>
        {
            builder.Services.RemoveAll<IImageGenerator>();
            builder.Services.RemoveAll<IModelStore>();
            builder.Services.AddSingleton<TinyImageGenerator>();
            builder.Services.AddSingleton<IImageGenerator>(sp => sp.GetRequiredService<TinyImageGenerator>());
            builder.Services.AddSingleton<IModelStore>(sp => sp.GetRequiredService<TinyImageGenerator>());
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new ReferenceServer(app, dataDir, new Uri(address.TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _app.StopAsync();
        }
        catch (ObjectDisposedException)
        {
        }
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Answers every generation with 1x1 PNGs and knows every model (the server is not in strict mode anyway).</summary>
    private sealed class TinyImageGenerator : IImageGenerator, IModelStore
    {
        private static readonly byte[] Png = Convert.FromBase64String(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC");

        public Task<GeneratedImages> GenerateAsync(GenerationParameters parameters, IReadOnlyDictionary<string, byte[]> inputs,
            IProgress<double>? progress, CancellationToken ct) =>
            Task.FromResult(new GeneratedImages(Enumerable.Range(0, Math.Max(1, parameters.Samples)).Select(_ => Png).ToList()));

        public bool ModelExists(string modelId) => true;

        public bool LoraExists(string loraId) => true;
    }
}
