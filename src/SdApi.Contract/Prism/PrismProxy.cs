using SdApi.Contract.Hosting;

namespace SdApi.Contract.Prism;

/// <summary>
/// Stoplight Prism (pinned in package.json) as a validating proxy in front of a provider:
/// <c>prism proxy openapi.yaml UPSTREAM --errors --port P</c>. With <c>--errors</c> a request that breaks the spec is
/// answered 422 by Prism itself and an upstream answer that breaks it becomes a problem+json error, so a contract
/// violation on either side is visible in the answer. Dispose kills the process.
/// </summary>
public sealed class PrismProxy : IDisposable
{
    public const string BinRelativePath = "node_modules/.bin/prism";

    private readonly ChildProcess _process;

    private PrismProxy(ChildProcess process, int port)
    {
        _process = process;
        BaseUrl = new Uri($"http://127.0.0.1:{port}/");
    }

    public Uri BaseUrl { get; }

    public string Log => _process.Log;

    public int LogLength => _process.LogLength;

    public string LogSince(int mark) => _process.LogSince(mark);

    public static async Task<PrismProxy> StartAsync(string repoRoot, string specPath, Uri upstream, CancellationToken cancellationToken = default)
    {
        var prism = Path.Combine(repoRoot, BinRelativePath);
        if (!File.Exists(prism))
            throw new FileNotFoundException($"Prism missing at {prism}: run `bash build/npm-ci.sh` (installs the npm tools pinned in package.json).", prism);
        var port = FreePort.Next();
        var process = new ChildProcess(prism,
        [
            "proxy", specPath, upstream.AbsoluteUri.TrimEnd('/'),
            "--errors",
            "--host", "127.0.0.1",
            "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ], repoRoot);
        var proxy = new PrismProxy(process, port);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (process.Log.Contains("Prism is listening", StringComparison.Ordinal))
                return proxy;
            if (process.HasExited) break;
            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
        var log = process.Log;
        proxy.Dispose();
        throw new InvalidOperationException($"Prism did not start ({process.CommandLine}):\n{log}");
    }

    public void Dispose() => _process.Dispose();
}
