using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace SdApi.Server.Tests.Infrastructure;

/// <summary>The server as a separate OS process (<c>dotnet SdApi.Server.dll</c> from the test output), so a test can
/// kill it outright and start it again on the same data folder.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <param name="environment">environment variables for the process (e.g. <c>SdApi__Keys__0</c>).</param>
    public static async Task<ServerProcess> StartAsync(string dataDir, int port, IDictionary<string, string?>? settings = null,
        IDictionary<string, string>? environment = null, bool withKey = true)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "SdApi.Server.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(dll);
        var all = new Dictionary<string, string?>
        {
            ["urls"] = $"http://127.0.0.1:{port}",
            ["SdApi:DataDir"] = dataDir,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        if (withKey)
            all["SdApi:Keys:0"] = ServerHost.Key;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
            all[k] = v;
        foreach (var (k, v) in all)
            start.ArgumentList.Add($"--{k}={v}");
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, new Uri($"http://127.0.0.1:{port}"));
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var until = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < until)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"The server process exited with {process.ExitCode}.");
            try
            {
                if ((await http.GetAsync("/health")).IsSuccessStatusCode)
                    return server;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100); // waits for the server process (another process) to answer /health
        }
        await server.DisposeAsync();
        throw new TimeoutException("The server process did not answer /health.");
    }

    /// <summary>The running-generation count /health reports.</summary>
    public async Task<int> RunningAsync(HttpClient http)
    {
        var health = JsonDocument.Parse(await http.GetStringAsync(new Uri(BaseAddress, "/health")));
        return health.RootElement.GetProperty("running").GetInt32();
    }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
            Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
