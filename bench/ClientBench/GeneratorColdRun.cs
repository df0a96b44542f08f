using System.Diagnostics;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace ClientBench;

/// <summary>Generating code from openapi.yaml once, cold, as a build step pays for it: a whole fresh process each time.
/// SdApi.Generator: this program started with <c>generator-child</c>, which runs the generator once (every part) and exits.
/// NSwag: the CLI, <c>nswag openapi2csclient</c> (node + .NET start-up + NSwag). Runs alternate; the child also reports
/// the in-process time of its one generator call (JIT included).</summary>
internal static class GeneratorColdRun
{
    public sealed record Result(double SdApiProcessMs, double NSwagProcessMs, double SdApiInProcessMs, double SdApiWarmMs, int Runs);

    public static Result Measure(int runs)
    {
        var output = Path.Combine(Path.GetTempPath(), $"sdapi-nswag-bench-{Environment.ProcessId}.cs");
        var sdapi = new List<double>();
        var nswag = new List<double>();
        var inProcess = new List<double>();
        var warm = new List<double>();
        try
        {
            for (var i = 0; i < runs; i++)
            {
                var (ms, stdout) = Time(Environment.ProcessPath!, [typeof(GeneratorColdRun).Assembly.Location, "generator-child"]);
                sdapi.Add(ms);
                var times = stdout.Trim().Split(' ');
                inProcess.Add(double.Parse(times[0], CultureInfo.InvariantCulture));
                warm.Add(double.Parse(times[1], CultureInfo.InvariantCulture));
                nswag.Add(Time("node", [Path.Combine(Payloads.Repo, "node_modules", "nswag", "bin", "nswag.js"), "openapi2csclient", "/runtime:Net100",
                    "/input:" + Payloads.Spec, "/output:" + output, "/namespace:NSwagBench"]).Ms);
            }
        }
        finally
        {
            if (File.Exists(output)) File.Delete(output);
        }
        var result = new Result(sdapi.Average(), nswag.Average(), inProcess.Average(), warm.Average(), runs);
        Console.WriteLine($"generator cold run ({runs} runs): SdApi process {result.SdApiProcessMs:F0} ms (generator call {result.SdApiInProcessMs:F0} ms), NSwag CLI {result.NSwagProcessMs:F0} ms");
        return result;
    }

    /// <summary>The child: run the generator once (cold) and once more (warm); print both times in ms.</summary>
    public static void Child()
    {
        var spec = File.ReadAllText(Payloads.Spec);
        var cold = RunOnce(spec);
        var warm = RunOnce(spec);
        Console.WriteLine(cold.ToString("F1", CultureInfo.InvariantCulture) + " " + warm.ToString("F1", CultureInfo.InvariantCulture));
    }

    private static double RunOnce(string spec)
    {
        var watch = Stopwatch.StartNew();
        var driver = CSharpGeneratorDriver.Create(
            [new SdApi.Generator.SdApiGenerator().AsSourceGenerator()],
            [new SpecText(Payloads.Spec, spec)],
            new CSharpParseOptions(LanguageVersion.Latest),
            new Options());
        var run = driver.RunGenerators(CSharpCompilation.Create("Bench")).GetRunResult();
        var chars = run.GeneratedTrees.Sum(t => t.Length);
        watch.Stop();
        if (run.Diagnostics.Length > 0 || chars == 0) throw new InvalidOperationException("generator produced nothing");
        return watch.Elapsed.TotalMilliseconds;
    }

    private static (double Ms, string Stdout) Time(string file, string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        var watch = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        watch.Stop();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} failed: {stderr.Result}");
        return (watch.Elapsed.TotalMilliseconds, stdout.Result);
    }

    private sealed class SpecText(string path, string text) : AdditionalText
    {
        private readonly SourceText _text = SourceText.From(text);
        public override string Path => path;
        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }

    private sealed class Options : AnalyzerConfigOptionsProvider
    {
        private static readonly Values Global = new(new() { ["build_property.SdApiEmit"] = "Models,Json,Validators,Client,Server" });
        public override AnalyzerConfigOptions GlobalOptions => Global;
        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Global;
        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Global;

        private sealed class Values(Dictionary<string, string> values) : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
        }
    }
}
