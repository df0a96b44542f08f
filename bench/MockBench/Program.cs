// Time from `new` mock to the first answered request, and per-request latency, for three mocks of the API in one run:
// SdApi.Testing (in-process WireMock.Net), the WireMock 3 jar on the exported mappings (baseline) and Prism's mock.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using SdApi.Contract.Hosting;
using SdApi.Contract.Mappings;
using SdApi.Contract.Spec;
using SdApi.Testing;

var results = args.SkipWhile(a => a != "--results").Skip(1).FirstOrDefault();
var starts = int.Parse(args.SkipWhile(a => a != "--starts").Skip(1).FirstOrDefault() ?? "5", CultureInfo.InvariantCulture);
var requests = int.Parse(args.SkipWhile(a => a != "--requests").Skip(1).FirstOrDefault() ?? "400", CultureInfo.InvariantCulture);
var root = FindRoot();
var spec = ContractSpec.Load(Path.Combine(root, "openapi.yaml"));
var edges = EdgeTable.Load(Path.Combine(root, "spec", "edge-values.json"));
var body = edges.Bases["v6Text2Img"].DeepClone().AsObject();
body["key"] = "bench-key";
var valid = body.ToJsonString();
var invalid = new Func<string>(() => { var b = body.DeepClone().AsObject(); b["width"] = 13; return b.ToJsonString(); })();
const string Path6 = "api/v6/images/text2img";

var mappings = Directory.CreateTempSubdirectory("sdapi-mockbench-").FullName;
MappingExporter.Export(new MappingGenerator(spec, MockOptions.Default, edges).All(), mappings);
using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

var rows = new List<Row>();
try
{
    rows.Add(await MeasureAsync("SdApi.Testing (in-process WireMock.Net)", starts + 1, skipFirst: true, StartInProcess));
    rows.Add(await MeasureAsync("WireMock 3.13.2 jar, exported mappings (baseline)", starts, skipFirst: false, StartJar));
    rows.Add(await MeasureAsync("Prism 5 mock (openapi.yaml)", starts, skipFirst: false, StartPrism));
}
finally
{
    Directory.Delete(mappings, recursive: true);
}

var baseline = rows[1];
var text = new StringBuilder();
text.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Environment.ProcessorCount} logical cores, load average {LoadAverage()} when the run started (other jobs share the cores); {starts} starts per mock (SdApi.Testing: plus the process's first, reported apart), {requests} timed sequential requests per start after 50 warm-up, one keep-alive HttpClient; body: the edge table's v6Text2Img base (valid) and the same with width 13 (invalid).");
text.AppendLine();
text.AppendLine("| mock | first start in the process: new -> first answer ms | start: new -> first answer, median ms | / baseline | valid request median ms | p95 ms | / baseline | invalid request median ms | invalid answer |");
text.AppendLine("|---|---|---|---|---|---|---|---|---|");
foreach (var row in rows)
    text.AppendLine(CultureInfo.InvariantCulture,
        $"| {row.Name} | {row.FirstStartMs:F0} | {row.StartMs:F0} | {row.StartMs / baseline.StartMs:F3} | {row.RequestMs:F2} | {row.RequestP95Ms:F2} | {row.RequestMs / baseline.RequestMs:F2} | {row.InvalidMs:F2} | HTTP {row.InvalidStatus} |");
Console.WriteLine(text);
if (results is not null) WriteSection(results, text.ToString());
return 0;

async Task<Row> MeasureAsync(string name, int count, bool skipFirst, Func<Task<(Uri BaseUrl, IDisposable Stop)>> start)
{
    var startTimes = new List<double>();
    var latencies = new List<double>();
    var invalidLatencies = new List<double>();
    var invalidStatus = 0;
    for (var i = 0; i < count; i++)
    {
        var clock = Stopwatch.StartNew();
        var (baseUrl, stop) = await start();
        using (stop)
        {
            // first answered request: retried until the mock answers 200 (the processes report readiness differently)
            while (true)
            {
                try
                {
                    if (await PostAsync(baseUrl, valid) == 200) break;
                }
                catch (HttpRequestException)
                {
                }
                if (clock.Elapsed > TimeSpan.FromSeconds(120)) throw new TimeoutException(name + " never answered");
                await Task.Delay(10);
            }
            startTimes.Add(clock.Elapsed.TotalMilliseconds);
            for (var w = 0; w < 50; w++) await PostAsync(baseUrl, valid);
            for (var r = 0; r < requests; r++)
            {
                var one = Stopwatch.StartNew();
                var status = await PostAsync(baseUrl, valid);
                latencies.Add(one.Elapsed.TotalMilliseconds);
                if (status != 200) throw new InvalidOperationException($"{name}: a valid request got HTTP {status}");
            }
            for (var r = 0; r < requests / 4; r++)
            {
                var one = Stopwatch.StartNew();
                invalidStatus = await PostAsync(baseUrl, invalid);
                invalidLatencies.Add(one.Elapsed.TotalMilliseconds);
            }
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: start {i + 1}: {startTimes[^1]:F0} ms to first answer"));
    }
    var timedStarts = skipFirst ? startTimes.Skip(1).ToList() : startTimes;
    return new Row(name, startTimes[0], Median(timedStarts), Median(latencies), Percentile(latencies, 0.95), Median(invalidLatencies), invalidStatus);
}

async Task<int> PostAsync(Uri baseUrl, string json)
{
    using var content = new StringContent(json, Encoding.UTF8, "application/json");
    using var response = await http.PostAsync(new Uri(baseUrl, Path6), content);
    await response.Content.ReadAsByteArrayAsync();
    return (int)response.StatusCode;
}

Task<(Uri, IDisposable)> StartInProcess()
{
    var mock = SdApiMockServer.Start();
    return Task.FromResult<(Uri, IDisposable)>((mock.BaseUrl, mock));
}

Task<(Uri, IDisposable)> StartJar()
{
    var port = FreePort.Next();
    var process = new ChildProcess(JavaRuntime.Find(),
    [
        // the same JVM flags as the contract tests' WireMockServer
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xms64m", "-Xmx256m",
        "-jar", Path.Combine(root, SdApi.Contract.WireMock.WireMockServer.JarRelativePath),
        "--port", port.ToString(CultureInfo.InvariantCulture), "--bind-address", "127.0.0.1", "--disable-banner",
        "--root-dir", mappings, "--local-response-templating", "--container-threads", "20",
    ], mappings);
    return Task.FromResult<(Uri, IDisposable)>((new Uri($"http://127.0.0.1:{port}/"), process));
}

Task<(Uri, IDisposable)> StartPrism()
{
    var port = FreePort.Next();
    var process = new ChildProcess(Path.Combine(root, SdApi.Contract.Prism.PrismProxy.BinRelativePath),
        ["mock", Path.Combine(root, "openapi.yaml"), "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture)], root);
    return Task.FromResult<(Uri, IDisposable)>((new Uri($"http://127.0.0.1:{port}/"), process));
}

static double Median(List<double> values) => Percentile(values, 0.5);

static double Percentile(List<double> values, double p)
{
    var sorted = values.Order().ToList();
    return sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(p * sorted.Count))];
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "openapi.yaml")) && File.Exists(Path.Combine(dir.FullName, "Bindings.sln"))) return dir.FullName;
    throw new DirectoryNotFoundException("run from inside the repository");
}

static void WriteSection(string path, string table)
{
    const string Heading = "## Mock (SdApi.Testing)";
    var intro = "`dotnet run -c Release --project bench/MockBench -- --results bench/RESULTS.md`. Baseline = the WireMock 3 jar on the exported mappings, started and measured in the same run. Start = from `SdApiMockServer.Start()` / process start to the first HTTP 200 (the external mocks are polled every 10 ms until they answer). SdApi.Testing's first start in a process includes JIT of WireMock.Net and ASP.NET Core (paid once per test run); the later starts are what each further mock in that run costs. The jar and Prism are a new process at every start. An invalid body: the jar leaves it unmatched (404, after computing near misses), SdApi.Testing and Prism answer 400.";
    var text = File.ReadAllText(path);
    var start = text.IndexOf(Heading, StringComparison.Ordinal);
    var section = $"{Heading}\n\n{intro}\n\n{table.TrimEnd()}\n";
    if (start < 0)
    {
        text = text.TrimEnd() + "\n\n" + section;
    }
    else
    {
        var end = text.IndexOf("\n## ", start + Heading.Length, StringComparison.Ordinal);
        text = text[..start] + section + (end < 0 ? "" : text[end..]);
    }
    File.WriteAllText(path, text);
}

internal sealed record Row(string Name, double FirstStartMs, double StartMs, double RequestMs, double RequestP95Ms, double InvalidMs, int InvalidStatus);
