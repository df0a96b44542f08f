using SdApi.Cli.Infrastructure;
using Xunit.Abstractions;

namespace SdApi.Contract.Tests.Harness;

/// <summary>Runs the `sdapi` command line in process (the same parser and verbs as the tool) and logs what it printed.</summary>
public static class Sdapi
{
    public static async Task<(int Code, string Text)> RunAsync(ITestOutputHelper output, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CliRunner.RunAsync(SdApiRoot.Create(), args, stdout, stderr);
        var text = stdout + stderr.ToString();
        output.WriteLine($"sdapi {string.Join(' ', args)} -> {code}\n{text}");
        return (code, text);
    }
}
