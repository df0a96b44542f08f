using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using SdApi.Contract.Spec;
using SdApi.Server.Tests.Fuzz;

// dotnet HardenBench.dll fuzz <server.dll> <count> <seed>
// dotnet HardenBench.dll bodies <server.dll> <gc: server|workstation|conserve> <clients> <bodies-per-client> <mb> <idle-seconds> [prompt|image]
// dotnet HardenBench.dll generations <server.dll> <gc> <count>
// Each mode starts the server as its own process (fresh data folder) and samples its RSS from /proc every 100 ms.
var mode = args[0];
var serverDll = args[1];
var culture = CultureInfo.InvariantCulture;
switch (mode)
{
    case "fuzz":
        {
            await using var server = await ServerProcess.StartAsync(serverDll, "workstation", ["--SdApi:Jobs:SyncBudget=00:00:00", "--SdApi:Limits:MaxFailedKeysPerAddress=100000000"]);
            var count = int.Parse(args[2], culture);
            var fuzzer = new RequestFuzzer(ContractSpec.LoadEmbedded(), ServerProcess.Key, int.Parse(args[3], culture));
            var tally = new FuzzTally();
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < count; i++)
            {
                var request = fuzzer.Next();
                using var content = new ByteArrayContent(request.Body);
                if (request.ContentType is not null) content.Headers.ContentType = MediaTypeHeaderValue.Parse(request.ContentType);
                try
                {
                    using var response = await server.Http.PostAsync(request.Path, content);
                    fuzzer.Check(request, (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsByteArrayAsync(), tally);
                }
                catch (HttpRequestException e)
                {
                    tally.Requests++;
                    tally.NotJson++;
                    tally.Failures.Add($"transport: {request.Operation.OperationId} [{request.Mutation}] {e.Message}");
                }
            }
            var up = (await server.Http.GetAsync("/health")).IsSuccessStatusCode && !server.Process.HasExited;
            Console.WriteLine($"fuzz seed={args[3]} requests={tally.Requests} 5xx={tally.ServerErrors} nonJson={tally.NotJson} wrongShape={tally.WrongShape} schemaViolations={tally.SchemaViolations} serverUp={up} seconds={watch.Elapsed.TotalSeconds:F1} {server.Rss.Summary()}");
            Console.WriteLine("statuses: " + string.Join(", ", tally.ByStatus.Select(p => $"{p.Key}x{p.Value}")));
            foreach (var f in tally.Failures) Console.WriteLine("  " + f);
            return tally.Clean && up ? 0 : 1;
        }
    case "bodies":
        {
            var gc = args[2];
            var clients = int.Parse(args[3], culture);
            var perClient = int.Parse(args[4], culture);
            var mb = int.Parse(args[5], culture);
            var idle = int.Parse(args[6], culture);
            await using var server = await ServerProcess.StartAsync(serverDll, gc, []);
            // prompt: a text2img whose prompt alone is the whole body, refused (400, prompt) after its first ~24 KB.
            // image: an img2img with a base64 init_image of that size, within the image field's limit, so it is read
            // whole, parsed and decoded before it is refused (not an image): the GC setting decides what stays.
            var kind = args.Length > 7 ? args[7] : "prompt";
            var path = kind == "image" ? "/api/v6/images/img2img" : "/api/v6/images/text2img";
            var filler = kind == "image"
                ? "\"base64\":\"yes\",\"init_image\":\"" + Convert.ToBase64String(new byte[(mb * 1024 * 1024 - 256) / 4 * 3])
                : "\"prompt\":\"" + new string('a', (mb * 1024 * 1024) - 64);
            var body = Encoding.UTF8.GetBytes($"{{\"key\":\"{ServerProcess.Key}\",{(kind == "image" ? "\"prompt\":\"x\"," : "")}" + filler + "\"}");
            var statuses = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
            {
                using var http = new HttpClient { BaseAddress = server.Http.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
                for (var i = 0; i < perClient; i++)
                {
                    using var content = new ByteArrayContent(body);
                    content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                    int status;
                    try { using var r = await http.PostAsync(path, content); status = (int)r.StatusCode; }
                    catch (HttpRequestException) { status = -1; }
                    statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
                }
            }));
            var busy = server.Rss.Snapshot();
            await Task.Delay(TimeSpan.FromSeconds(idle));
            Console.WriteLine($"bodies kind={kind} gc={gc} clients={clients} perClient={perClient} mb={mb} seconds={watch.Elapsed.TotalSeconds:F1} statuses={string.Join(",", statuses.Select(p => $"{p.Key}x{p.Value}"))} " +
                              $"rssFirst={busy.First:F0}MB rssMaxDuring={busy.Max:F0}MB rssEndOfRun={busy.Last:F0}MB rssIdleAfter{idle}s={server.Rss.Current():F0}MB");
            return 0;
        }
    case "generations":
        {
            var gc = args[2];
            var count = int.Parse(args[3], culture);
            await using var server = await ServerProcess.StartAsync(serverDll, gc, ["--SdApi:Jobs:SyncBudget=00:05:00"]);
            var marks = new List<string>();
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < count; i++)
            {
                var json = $"{{\"key\":\"{ServerProcess.Key}\",\"prompt\":\"a red circle on green grass\",\"width\":256,\"height\":256,\"num_inference_steps\":1,\"seed\":{i}}}";
                using var content = new StringContent(json, Encoding.UTF8, "application/json");
                using var r = await server.Http.PostAsync("/api/v6/images/text2img", content);
                var text = await r.Content.ReadAsStringAsync();
                if (!text.Contains("\"success\"", StringComparison.Ordinal)) { Console.WriteLine($"generation {i}: {text}"); return 1; }
                if (i == 0 || (i + 1) % (count / 10) == 0) marks.Add($"{i + 1}:{server.Rss.Current():F0}");
            }
            Console.WriteLine($"generations gc={gc} count={count} seconds={watch.Elapsed.TotalSeconds:F1} rssMB(after n)={string.Join(" ", marks)} {server.Rss.Summary()}");
            return 0;
        }
    default:
        Console.Error.WriteLine("modes: fuzz | bodies | generations");
        return 2;
}

/// <summary>The reference server as a child process on a free loopback port, with one GC setting.</summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    public const string Key = "bench-key";

    private readonly string _dataDir;

    private ServerProcess(Process process, HttpClient http, string dataDir)
    {
        Process = process;
        Http = http;
        _dataDir = dataDir;
        Rss = new RssSampler(process.Id);
    }

    public Process Process { get; }
    public HttpClient Http { get; }
    public RssSampler Rss { get; }

    public static async Task<ServerProcess> StartAsync(string dll, string gc, string[] extra)
    {
        var port = FreePort();
        var dataDir = Directory.CreateTempSubdirectory("sdapi-hardenbench-").FullName;
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { dll, "--urls", $"http://127.0.0.1:{port}", $"--SdApi:DataDir={dataDir}", $"--SdApi:Keys:0={Key}", "--Logging:LogLevel:Default=Error" }.Concat(extra))
            info.ArgumentList.Add(a);
        // The GC setting under test, overriding whatever the server's runtimeconfig says.
        switch (gc)
        {
            case "server": info.Environment["DOTNET_gcServer"] = "1"; info.Environment["DOTNET_GCconserveMemory"] = "0"; break;
            case "workstation": info.Environment["DOTNET_gcServer"] = "0"; info.Environment["DOTNET_GCconserveMemory"] = "0"; break;
            case "conserve": info.Environment["DOTNET_gcServer"] = "0"; info.Environment["DOTNET_GCconserveMemory"] = "7"; break;
            case "default": break;
            default: throw new ArgumentException("gc: server | workstation | conserve | default");
        }
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(5) };
        for (var i = 0; ; i++)
        {
            try { if ((await http.GetAsync("/health")).IsSuccessStatusCode) break; }
            catch (HttpRequestException) when (i < 300) { await Task.Delay(100); }
        }
        var server = new ServerProcess(process, http, dataDir);
        server.Rss.Start();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await Rss.StopAsync();
        Http.Dispose();
        if (!Process.HasExited) { Process.Kill(entireProcessTree: true); await Process.WaitForExitAsync(); }
        Process.Dispose();
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>VmRSS of a process every 100 ms.</summary>
internal sealed class RssSampler(int pid)
{
    private readonly List<double> _samples = [];
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public void Start() => _loop = Task.Run(async () =>
    {
        while (!_stop.IsCancellationRequested)
        {
            var mb = Current();
            lock (_samples) _samples.Add(mb);
            try { await Task.Delay(100, _stop.Token); } catch (OperationCanceledException) { }
        }
    });

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null) await _loop;
    }

    public double Current()
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    return double.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024;
        }
        catch (IOException) { }
        return 0;
    }

    public (double First, double Max, double Last) Snapshot()
    {
        lock (_samples)
            return _samples.Count == 0 ? (0, 0, 0) : (_samples[0], _samples.Max(), _samples[^1]);
    }

    public string Summary()
    {
        var (first, max, last) = Snapshot();
        return $"rssFirst={first:F0}MB rssMax={max:F0}MB rssLast={last:F0}MB";
    }
}
