using System.Globalization;
using System.Text;
using BenchmarkDotNet.Reports;

namespace ClientBench;

/// <summary>Rewrites only the "## Client and generator" section of bench/RESULTS.md (other sections belong to others).</summary>
internal static class ResultsWriter
{
    private const string Heading = "## Client and generator";

    public static void Write(string path, Summary client, GeneratorColdRun.Result cold, IReadOnlyList<string> findings)
    {
        var summaries = new[] { client };
        var section = new StringBuilder();
        section.AppendLine(Heading).AppendLine();
        section.AppendLine(CultureInfo.InvariantCulture, $"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC by `bench/ClientBench` (BenchmarkDotNet 0.14.0, Release); ratios are against the baseline of the same run.");
        section.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Environment.ProcessorCount} logical cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}; load average at the end: {LoadAverage()} (a shared machine: absolute times are noisy, ratios within one run are what counts).");
        foreach (var summary in summaries)
        {
            section.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"### {summary.BenchmarksCases.First().Descriptor.Type.Name}").AppendLine();
            section.AppendLine("| method | mean | median | min | ratio (mean) | ratio (median) | ratio (min) | allocated | alloc ratio |");
            section.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            var baseline = summary.BenchmarksCases.FirstOrDefault(c => c.Descriptor.Baseline);
            var baseStats = baseline is null ? null : summary[baseline]?.ResultStatistics;
            var baseMean = baseStats?.Mean ?? double.NaN;
            var baseAlloc = baseline is null ? double.NaN : summary[baseline]?.GcStats.GetBytesAllocatedPerOperation(baseline) ?? double.NaN;
            foreach (var c in summary.BenchmarksCases)
            {
                var report = summary[c];
                var stats = report?.ResultStatistics;
                var mean = stats?.Mean ?? double.NaN;
                var median = stats?.Median ?? double.NaN;
                var min = stats?.Min ?? double.NaN;
                double? alloc = report?.GcStats.GetBytesAllocatedPerOperation(c);
                section.AppendLine(CultureInfo.InvariantCulture,
                    $"| {c.Descriptor.WorkloadMethodDisplayInfo} | {Time(mean)} | {Time(median)} | {Time(min)} | {mean / baseMean:F2} | {median / (baseStats?.Median ?? double.NaN):F2} | {min / (baseStats?.Min ?? double.NaN):F2} | {Bytes(alloc)} | {(alloc is null or 0 || double.IsNaN(baseAlloc) ? "-" : (alloc.Value / baseAlloc).ToString("F2", CultureInfo.InvariantCulture))} |");
            }
        }
        if (findings.Count > 0)
        {
            section.AppendLine().AppendLine("Findings of this run (peers that could not be timed):").AppendLine();
            foreach (var finding in findings) section.AppendLine("- " + finding);
        }
        section.AppendLine().AppendLine("### Generator cold run on openapi.yaml").AppendLine();
        section.AppendLine("| what | mean of " + cold.Runs.ToString(CultureInfo.InvariantCulture) + " fresh processes | ratio |");
        section.AppendLine("|---|---:|---:|");
        section.AppendLine(CultureInfo.InvariantCulture, $"| NSwag CLI `openapi2csclient` (baseline) | {cold.NSwagProcessMs:F0} ms | 1.00 |");
        section.AppendLine(CultureInfo.InvariantCulture, $"| SdApi.Generator, whole process (all parts) | {cold.SdApiProcessMs:F0} ms | {cold.SdApiProcessMs / cold.NSwagProcessMs:F2} |");
        section.AppendLine(CultureInfo.InvariantCulture, $"| SdApi.Generator, the generator call alone (first call, JIT included) | {cold.SdApiInProcessMs:F0} ms | {cold.SdApiInProcessMs / cold.NSwagProcessMs:F2} |");
        section.AppendLine(CultureInfo.InvariantCulture, $"| SdApi.Generator, a second full run in the same process (warm, as in a build server) | {cold.SdApiWarmMs:F0} ms | {cold.SdApiWarmMs / cold.NSwagProcessMs:F2} |");
        section.AppendLine();
        section.AppendLine("Client round trip: build the v6 text2img body, validate (SdApi, hand-written), serialize, POST through an in-memory");
        section.AppendLine("HttpMessageHandler that answers spec/examples/v6Text2Img.text2img-success.response.json, read it into typed models.");
        section.AppendLine("Peers, each generated from the same openapi.yaml at build time and sent the same v6 text2img values (where their types");
        section.AppendLine("take them) against the same answer bytes: NSwag 14.7.1 (the npm `nswag` CLI of package.json, Newtonsoft; the baseline),");
        section.AppendLine("NSwag 14.8.0 (the NSwag.ConsoleCore dotnet tool, `/jsonLibrary:SystemTextJson`) and Kiota 1.38.0 (the");
        section.AppendLine("Microsoft.OpenApi.Kiota dotnet tool; both pinned in bench/ClientBench/dotnet-tools.json). Both NSwag outputs do not");
        section.AppendLine("compile raw on this spec (duplicate enum members for yes/YES/Yes: CS0102), so `fix-nswag-enums.js` drops the");
        section.AppendLine("duplicates; NSwag models write every property, so their body also carries the spec's defaults. Kiota's output compiles");
        section.AppendLine("as generated (integer-or-string fields become composed wrapper types). Neither peer validates. No NSwag 13 row:");
        section.AppendLine("NSwag 13's code generator (NSwag.CodeGeneration.CSharp 13.x) is not served by this machine's NuGet copy; the earlier");
        section.AppendLine("'NSwag' row already came from the 14.7.1 npm CLI. Ratios: each row over the NSwag 14.7 row of the same run.");
        section.AppendLine("Generator cold run: a fresh process per launch, one call; SdApi.Generator runs in-process (parse + every emitter), the NSwag");
        section.AppendLine("CLI is timed as a whole process (node, .NET start-up, NSwag), which is what a build step pays for it.");

        var text = File.Exists(path) ? File.ReadAllText(path) : "# Benchmark results\n";
        var start = text.IndexOf(Heading, StringComparison.Ordinal);
        if (start < 0)
        {
            text = text.TrimEnd() + "\n\n" + section;
        }
        else
        {
            var next = text.IndexOf("\n## ", start + Heading.Length, StringComparison.Ordinal);
            text = text[..start].TrimEnd() + "\n\n" + section + (next < 0 ? "" : "\n" + text[(next + 1)..]);
        }
        File.WriteAllText(path, text);
    }

    private static string LoadAverage()
        => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static string Time(double ns) => double.IsNaN(ns) ? "-"
        : ns >= 1e9 ? (ns / 1e9).ToString("F2", CultureInfo.InvariantCulture) + " s"
        : ns >= 1e6 ? (ns / 1e6).ToString("F1", CultureInfo.InvariantCulture) + " ms"
        : (ns / 1e3).ToString("F1", CultureInfo.InvariantCulture) + " μs";

    private static string Bytes(double? b) => b is null or 0 ? "-"
        : b >= 1024 * 1024 ? (b.Value / 1024 / 1024).ToString("F1", CultureInfo.InvariantCulture) + " MB"
        : (b.Value / 1024).ToString("F1", CultureInfo.InvariantCulture) + " KB";
}
