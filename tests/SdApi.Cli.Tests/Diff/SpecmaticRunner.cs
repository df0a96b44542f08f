using System.Diagnostics;
using System.Text.RegularExpressions;
using SdApi.Tests.Shared;

namespace SdApi.Cli.Tests.Diff;

/// <summary>Runs Specmatic's backward-compatibility-check once for all pairs: a throw-away git repository holds each
/// case's old.yaml as &lt;case&gt;.yaml on branch main and its new.yaml on branch newer, so one JVM checks many
/// changed files (one `compare` process per pair would start 20+ JVMs); one JVM runs per core. A pair whose files are equal is not checked
/// by Specmatic and counts as compatible.</summary>
internal static partial class SpecmaticRunner
{
    public static string JarPath => RepoPaths.Combine("node_modules", "specmatic", "specmatic.jar");

    /// <summary>Null when Java or the jar is missing (the agreement test then checks only the table's own column).</summary>
    public static string? Unavailable()
    {
        if (!File.Exists(JarPath))
            return $"{JarPath} is missing (run build/npm-ci.sh)";
        try
        {
            using var java = Process.Start(new ProcessStartInfo("java", "-version") { RedirectStandardError = true, RedirectStandardOutput = true });
            java!.WaitForExit(30_000);
            return java.ExitCode == 0 ? null : "java -version failed";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "java is not on PATH";
        }
    }

    public static async Task<IReadOnlyDictionary<string, SpecmaticVerdict>> CheckAllAsync(IReadOnlyCollection<DiffCasePair> pairs)
    {
        // One JVM per core, each over its share of the pairs: the check is CPU-bound.
        var jvms = Math.Clamp(Environment.ProcessorCount, 1, 4);
        var shares = pairs.Select((pair, index) => (pair, index)).GroupBy(x => x.index % jvms, x => x.pair).Select(g => g.ToList());
        var results = await Task.WhenAll(shares.Select(CheckShareAsync));
        var verdicts = results.SelectMany(r => r).ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal);
        return pairs.ToDictionary(p => p.Case.Name,
            p => verdicts.TryGetValue(p.Case.Name, out var verdict) ? verdict : new SpecmaticVerdict(true, "unchanged file, not checked"));
    }

    private static async Task<Dictionary<string, SpecmaticVerdict>> CheckShareAsync(List<DiffCasePair> pairs)
    {
        var repo = Directory.CreateTempSubdirectory("sdapi-specmatic-");
        try
        {
            await Git(repo.FullName, "init", "-q", "-b", "main");
            foreach (var pair in pairs)
                File.Copy(pair.OldPath, Path.Combine(repo.FullName, pair.Case.Name + ".yaml"));
            await Commit(repo.FullName, "older specs");
            // The newer files are committed on a branch. File.Copy keeps the source's mtime, so a change that keeps
            // the size (1024 -> 2048) looks unchanged to git's stat check: the index is emptied first so that
            // `git add` hashes every file.
            await Git(repo.FullName, "checkout", "-q", "-b", "newer");
            foreach (var pair in pairs)
                File.Copy(pair.NewPath, Path.Combine(repo.FullName, pair.Case.Name + ".yaml"), overwrite: true);
            await Git(repo.FullName, "rm", "-r", "-q", "--cached", ".");
            await Commit(repo.FullName, "newer specs");

            // C1-only JIT: the check is short-lived, so full optimisation costs more CPU than it saves.
            var (exit, output) = await Run(repo.FullName, "java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", JarPath,
                "backward-compatibility-check", "--base-branch", "main");
            var verdicts = Parse(output);
            var changed = pairs.Count(p => File.ReadAllText(p.OldPath) != File.ReadAllText(p.NewPath));
            if (verdicts.Count < changed)
                throw new InvalidOperationException($"Specmatic gave {verdicts.Count} verdicts for {changed} changed files (exit {exit}):\n{Tail(output)}");
            return verdicts;
        }
        finally
        {
            try
            {
                repo.Delete(recursive: true);
            }
            catch (IOException)
            {
                // a leftover temp folder is harmless
            }
        }
    }

    /// <summary>Reads "N. Running the check for .../&lt;case&gt;.yaml:" sections and their (COMPATIBLE)/(INCOMPATIBLE) verdicts;
    /// the reason is Specmatic's first "&gt;&gt;" finding and the sentence under it.</summary>
    internal static Dictionary<string, SpecmaticVerdict> Parse(string output)
    {
        // Findings (the reason) are read from each file's "Running the check" section.
        var reasons = new Dictionary<string, string>(StringComparer.Ordinal);
        var sections = SectionHeader().Split(output);
        // Split with one capture group: [before, name1, body1, name2, body2, ...]
        for (var i = 1; i + 1 < sections.Length; i += 2)
            reasons[sections[i]] = Reason(sections[i + 1]);

        // The verdict itself is keyed on Specmatic's own "Verdict for spec <file>:" line, not on section order, so
        // output of several files that interleaves cannot hand one file another file's verdict.
        var verdicts = new Dictionary<string, SpecmaticVerdict>(StringComparer.Ordinal);
        foreach (Match match in VerdictLine().Matches(output))
        {
            var name = match.Groups["name"].Value;
            var text = match.Groups["text"].Value;
            // "(INCOMPATIBLE) The spec is backward compatible but the examples are NOT ..." judges examples, not the spec.
            var incompatible = match.Groups["in"].Success && !text.StartsWith("The spec is backward compatible but", StringComparison.Ordinal);
            verdicts[name] = incompatible ? new SpecmaticVerdict(false, reasons.GetValueOrDefault(name, "")) : new SpecmaticVerdict(true, "");
        }
        return verdicts;
    }

    [GeneratedRegex(@"Verdict for spec .*?(?<name>[^/\\\s]+)\.yaml:\s*\n\s*\((?<in>IN)?COMPATIBLE\)\s*(?<text>[^\n]*)")]
    private static partial Regex VerdictLine();

    private static string Reason(string body)
    {
        var lines = body.Split('\n').Select(l => l.Trim()).ToList();
        var at = lines.FindIndex(l => l.StartsWith(">>", StringComparison.Ordinal));
        if (at < 0)
            return "";
        var detail = lines.Skip(at + 1).FirstOrDefault(l => l.Length > 0) ?? "";
        return $"{lines[at][2..].Trim()}: {detail}";
    }

    [GeneratedRegex(@"^\s*\d+\. Running the check for .*?([^/\\]+)\.yaml:\s*$", RegexOptions.Multiline)]
    private static partial Regex SectionHeader();

    private static async Task Commit(string directory, string message)
    {
        await Git(directory, "add", ".");
        await Git(directory, "-c", "user.name=sdapi-tests", "-c", "user.email=tests@sdapi.invalid", "-c", "commit.gpgsign=false",
            "commit", "-q", "--allow-empty", "-m", message);
    }

    private static async Task Git(string directory, params string[] args)
    {
        var (exit, output) = await Run(directory, "git", args);
        if (exit != 0)
            throw new InvalidOperationException($"git {string.Join(' ', args)} failed: {output}");
    }

    private static async Task<(int Exit, string Output)> Run(string directory, string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} ran over 10 minutes in {directory}");
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string Tail(string text) => text.Length <= 4000 ? text : text[^4000..];
}

internal sealed record SpecmaticVerdict(bool Compatible, string Reason);
