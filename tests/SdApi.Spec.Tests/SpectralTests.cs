using System.Diagnostics;
using Newtonsoft.Json.Linq;
using SdApi.Tests.Shared;

namespace SdApi.Spec.Tests;

/// <summary>The pinned Spectral CLI (node_modules, package.json) lints openapi.yaml with .spectral.yaml: no errors.</summary>
public class SpectralTests
{
    [Fact]
    public async Task Spectral_reports_no_errors()
    {
        var spectral = Path.Combine(RepoPaths.NodeModules, ".bin", "spectral");
        File.Exists(spectral).Should().BeTrue("build/npm-ci.sh installs the pinned Spectral CLI");

        var start = new ProcessStartInfo(spectral)
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "lint", "openapi.yaml", "--ruleset", ".spectral.yaml", "--format", "json", "--quiet" })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);

        var output = (await stdout).Trim();
        output.Should().StartWith("[", "Spectral prints a JSON array of results (stderr: {0})", await stderr);
        var errors = JArray.Parse(output).Where(r => (int)r["severity"]! == 0)
            .Select(r => $"{r["code"]} at {string.Join('.', r["path"]!.Values<string>())}: {r["message"]}").ToList();
        errors.Should().BeEmpty();
        process.ExitCode.Should().Be(0);
    }
}
