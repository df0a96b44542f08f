using System.CommandLine;

namespace SdApi.Cli.Commands;

/// <summary>The verbs of `sdapi`, in the order `--help` lists them.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        // one line per verb, e.g. `yield return ValidateCommand.Create();`
        yield return GenerateCommand.Create();
        yield return ValidateCommand.Create();
        yield return DiffCommand.Create();
        yield return MockCommand.Create();
        yield return VerifyCommand.Create();
        yield return ServeCommand.Create();
    }
}
