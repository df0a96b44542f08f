namespace SdApi.Cli.Infrastructure;

/// <summary>Verb descriptions: `--help` shows the description, so each one ends with an "Example:" line.</summary>
internal static class Help
{
    public static string Text(string description, params string[] examples) =>
        description + Environment.NewLine + Environment.NewLine + "Example:" + Environment.NewLine
        + string.Join(Environment.NewLine, examples.Select(e => "  " + e));
}
