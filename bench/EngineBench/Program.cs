using System.Diagnostics;
using System.Globalization;
using SdApi.Engine.Ort;
using SdApi.Engine.Pipeline;
using SdApi.Engine.Tests.Models;

// Engine benchmark: the built-in model at 512x512, 30 steps, CFG, 1 and 4 samples (median latency and the share of
// time inside ONNX Runtime), then the random-weight diffusers-shaped UNet (ms per call). Markdown goes to stdout
// and, with --results FILE, replaces the "## Engine" section of that file.
var runs = args.Contains("--quick") ? 3 : 9;
var resultsFile = args.SkipWhile(a => a != "--results").Skip(1).FirstOrDefault();
var threads = int.TryParse(Environment.GetEnvironmentVariable("SDAPI_BENCH_THREADS"), out var t) ? t : 0;
var store = Path.Combine(Path.GetTempPath(), $"sdapi-bench-{Environment.ProcessId}");
var lines = new List<string>();
try
{
    using var engine = new DiffusionEngine(new EngineOptions { ModelStoreDirectory = store, IntraOpThreads = threads });
    var scheduler = "EulerDiscreteScheduler";
    var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
    lines.Add($"Machine: {Environment.ProcessorCount} logical cores (load average {load} at start), {System.Runtime.InteropServices.RuntimeInformation.OSDescription}; " +
              $"ORT intra-op threads {(threads == 0 ? "default" : threads)}; {runs} timed runs after 1 warm-up; scheduler {scheduler}.");
    lines.Add("");
    lines.Add("| built-in model, 512x512, 30 steps, CFG 7.5 | median ms | min ms | ORT ms (median run) | engine / ORT | PNG encode ms (part of engine) | engine / ORT without PNG | goal |");
    lines.Add("|---|---|---|---|---|---|---|---|");
    foreach (var samples in new[] { 1, 4 })
    {
        var request = new GenerationRequest
        {
            Prompt = "red circle on grass", Width = 512, Height = 512, Steps = 30, GuidanceScale = 7.5,
            Samples = samples, Seed = 1, Scheduler = scheduler,
        };
        await engine.GenerateAsync(request); // warm-up: writes the model, opens sessions
        var timings = new List<(double Total, double Ort, double Png)>();
        for (var i = 0; i < runs; i++)
        {
            OrtRunClock.Reset();
            var sw = Stopwatch.StartNew();
            var result = await engine.GenerateAsync(request);
            var total = sw.Elapsed.TotalMilliseconds;
            var ort = OrtRunClock.Elapsed.TotalMilliseconds;
            var parts = result.Timings!;
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  total {total:F1} ms, ORT {ort:F1}: resolve {parts.Resolve.TotalMilliseconds:F1}, prompt {parts.PromptEncoding.TotalMilliseconds:F1}, denoise {parts.Denoising.TotalMilliseconds:F1}, decode {parts.Decoding.TotalMilliseconds:F1}, png {parts.PngEncoding.TotalMilliseconds:F1}"));
            timings.Add((total, ort, parts.PngEncoding.TotalMilliseconds));
        }
        var ordered = timings.OrderBy(x => x.Total).ToList();
        var median = ordered[ordered.Count / 2];
        var goal = samples == 1 ? "median <= 150 ms; ratio <= 1.3" : "ratio <= 1.3";
        lines.Add(string.Create(CultureInfo.InvariantCulture,
            $"| {samples} sample{(samples > 1 ? "s" : "")} | {median.Total:F1} | {ordered[0].Total:F1} | {median.Ort:F1} | {median.Total / median.Ort:F2} | {median.Png:F1} | {(median.Total - median.Png) / median.Ort:F2} | {goal} |"));
        Console.Error.WriteLine(lines[^1]);
    }

    // Random-weight diffusers-shaped UNet: one batch-2 (CFG) call per timestep.
    var folder = Path.Combine(store, "random-unet");
    Directory.CreateDirectory(folder);
    var unetPath = Path.Combine(folder, "unet.onnx");
    File.WriteAllBytes(unetPath, RandomDiffusersModel.Unet(new Random(7)));
    lines.Add("");
    lines.Add("| random-weight diffusers-shaped UNet (273 k-class, opset 17), batch 2 | median ms per call | min ms |");
    lines.Add("|---|---|---|");
    using var session = OrtInferenceSession.FromFile(unetPath, new OrtSessionOptions(threads, OrtOptimizationLevel.All));
    foreach (var size in new[] { 32, 64 })
    {
        using var sample = OrtTensor.FromFloats(new float[2 * 4 * size * size], 2, 4, size, size);
        using var timestep = OrtTensor.FromFloats([500f, 500f], 2);
        using var context = OrtTensor.FromFloats(new float[2 * 77 * RandomDiffusersModel.Hidden], 2, 77, RandomDiffusersModel.Hidden);
        var calls = new List<double>();
        for (var i = 0; i < runs * 3 + 2; i++)
        {
            var sw = Stopwatch.StartNew();
            var outputs = session.Run([new("sample", sample), new("timestep", timestep), new("encoder_hidden_states", context)], ["out_sample"]);
            foreach (var o in outputs) o.Dispose();
            if (i >= 2) calls.Add(sw.Elapsed.TotalMilliseconds);
        }
        calls.Sort();
        lines.Add(string.Create(CultureInfo.InvariantCulture, $"| latent {size}x{size} | {calls[calls.Count / 2]:F2} | {calls[0]:F2} |"));
        Console.Error.WriteLine(lines[^1]);
    }
}
finally
{
    try { Directory.Delete(store, recursive: true); } catch (IOException) { }
}

var section = "## Engine\n\n`dotnet run -c Release --project bench/EngineBench -- --results bench/RESULTS.md` " +
              "(engine / ORT = whole GenerateAsync time over time inside OrtApi::Run, same runs).\n\n" + string.Join('\n', lines) + "\n";
Console.WriteLine(section);
if (resultsFile is not null)
{
    var existing = File.Exists(resultsFile) ? await File.ReadAllTextAsync(resultsFile) : "# Benchmark results\n";
    var start = existing.IndexOf("## Engine\n", StringComparison.Ordinal);
    if (start < 0) existing = existing.TrimEnd() + "\n\n" + section;
    else
    {
        var end = existing.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        existing = existing[..start] + section + (end < 0 ? "" : existing[(end + 1)..]);
    }
    await File.WriteAllTextAsync(resultsFile, existing);
}
