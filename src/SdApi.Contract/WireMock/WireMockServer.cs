using SdApi.Contract.Hosting;

namespace SdApi.Contract.WireMock;

/// <summary>
/// The WireMock standalone jar (pinned in package.json, installed under node_modules/wiremock) run with Java on a free
/// loopback port. Mappings under <c>rootDir/mappings</c> are the default set that <c>/__admin/reset</c> restores.
/// Dispose kills the process.
/// </summary>
public sealed class WireMockServer : IAsyncDisposable, IDisposable
{
    public const string JarRelativePath = "node_modules/wiremock/build/wiremock-standalone-3.13.2.jar";

    private readonly ChildProcess _process;

    private WireMockServer(ChildProcess process, int port, string rootDir)
    {
        _process = process;
        Port = port;
        RootDir = rootDir;
        BaseUrl = new Uri($"http://127.0.0.1:{port}");
        Admin = new WireMockAdmin(BaseUrl);
    }

    public int Port { get; }

    public Uri BaseUrl { get; }

    public string RootDir { get; }

    public WireMockAdmin Admin { get; }

    /// <summary>WireMock's console output (with --verbose: every request and why it matched or not).</summary>
    public string Log => _process.Log;

    public int LogLength => _process.LogLength;

    public string LogSince(int mark) => _process.LogSince(mark);

    /// <summary>Starts WireMock and waits until its admin API answers.</summary>
    /// <param name="repoRoot">the repository (holds node_modules/wiremock).</param>
    /// <param name="rootDir">a folder with <c>mappings/</c> and <c>__files/</c>; created when missing.</param>
    public static async Task<WireMockServer> StartAsync(string repoRoot, string rootDir, bool verbose = true, CancellationToken cancellationToken = default)
    {
        var jar = Path.Combine(repoRoot, JarRelativePath);
        if (!File.Exists(jar))
            throw new FileNotFoundException($"WireMock jar missing at {jar}: run `bash build/npm-ci.sh` (installs the npm tools pinned in package.json).", jar);
        var java = JavaRuntime.Find();
        Directory.CreateDirectory(Path.Combine(rootDir, "mappings"));
        Directory.CreateDirectory(Path.Combine(rootDir, "__files"));

        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort.Next();
            string[] args =
            [
                // Short-lived test JVM: C1 only and the serial collector start fastest on a small machine.
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xms64m", "-Xmx256m",
                "-jar", jar,
                "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--bind-address", "127.0.0.1",
                "--disable-banner",
                "--root-dir", rootDir,
                "--local-response-templating",
                "--container-threads", "20",
                .. verbose ? new[] { "--verbose" } : [],
            ];
            var process = new ChildProcess(java, args, rootDir);
            var server = new WireMockServer(process, port, rootDir);
            if (await server.WaitUntilReadyAsync(TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false))
                return server;
            var log = process.Log;
            await server.DisposeAsync().ConfigureAwait(false);
            if (attempt >= 3 || !log.Contains("Address already in use", StringComparison.OrdinalIgnoreCase))
                throw new InvalidOperationException($"WireMock did not start ({process.CommandLine}):\n{log}");
        }
    }

    private async Task<bool> WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) return false;
            try
            {
                await Admin.HealthAsync(cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }
        return false;
    }

    public void Dispose()
    {
        Admin.Dispose();
        _process.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
