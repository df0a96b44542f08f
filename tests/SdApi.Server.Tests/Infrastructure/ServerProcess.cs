using System.Diagnostics;
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

    /// <param name="port">0: the process binds a port the system picks and reports it ("Now listening on"), so no
    /// other test can take the port between choosing and binding; a restart passes the port of the first start.</param>
    /// <param name="environment">environment variables for the process (e.g. <c>SdApi__Keys__0</c>).</param>
    public static async Task<ServerProcess> StartAsync(string dataDir, int port = 0, IDictionary<string, string?>? settings = null,
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
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information", // prints "Now listening on: <address>"
        };
        if (withKey)
            all["SdApi:Keys:0"] = ServerHost.Key;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
            all[k] = v;
        foreach (var (k, v) in all)
            start.ArgumentList.Add($"--{k}={v}");
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, line) =>
        {
            var at = line.Data?.IndexOf("Now listening on: ", StringComparison.Ordinal) ?? -1;
            if (at >= 0)
                listening.TrySetResult(new Uri(line.Data![(at + "Now listening on: ".Length)..].Trim()));
        };
        process.ErrorDataReceived += (_, _) => { };
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException($"The server process exited with {process.ExitCode}."));
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Uri address;
        try { address = await listening.Task.WaitAsync(TimeSpan.FromSeconds(30)); } // the process's own report
        catch
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
        var server = new ServerProcess(process, address);
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

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
            Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
