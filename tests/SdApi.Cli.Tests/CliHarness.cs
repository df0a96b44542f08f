using SdApi.Cli.Infrastructure;

namespace SdApi.Cli.Tests;

/// <summary>Runs `sdapi` in-process through the same runner Program.cs uses, capturing stdout and stderr.</summary>
internal static class CliHarness
{
    public static async Task<CliRun> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CliRunner.RunAsync(SdApiRoot.Create(), args, output, error);
        return new CliRun(exit, output.ToString(), error.ToString());
    }
}

internal sealed record CliRun(int Exit, string Output, string Error)
{
    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public override string ToString() => $"exit {Exit}\nstdout:\n{Output}\nstderr:\n{Error}";
}
