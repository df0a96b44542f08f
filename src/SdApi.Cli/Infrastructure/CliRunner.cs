using System.CommandLine;

namespace SdApi.Cli.Infrastructure;

/// <summary>Parses and runs a command line. Every error, from the parser or from a verb, is one line on stderr
/// ("sdapi diff: ...") and a non-zero exit code; <c>--help</c> prints the verb's description with its example.</summary>
internal static class CliRunner
{
    public static async Task<int> RunAsync(RootCommand root, IReadOnlyList<string> args, TextWriter output, TextWriter error,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(error);
        var parse = root.Parse(args);
        var verb = VerbName(parse);
        if (parse.Errors.Count > 0)
        {
            await error.WriteLineAsync($"{verb}: {OneLine(parse.Errors[0].Message)} (see '{verb} --help')").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        try
        {
            var configuration = new InvocationConfiguration { EnableDefaultExceptionHandler = false, Output = output, Error = error };
            return await parse.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (CliException ex)
        {
            await error.WriteLineAsync($"{verb}: {OneLine(ex.Message)}").ConfigureAwait(false);
            return ex.ExitCode;
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync($"{verb}: cancelled").ConfigureAwait(false);
            return ExitCodes.Cancelled;
        }
#pragma warning disable CA1031 // the last line of defence: anything unexpected still ends as one line, and exit 3 so
        // a script never reads a crash as a verdict (1 = breaking / invalid) or as bad input (2).
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await error.WriteLineAsync($"{verb}: unexpected error: {OneLine(ex.Message)} ({ex.GetType().Name})").ConfigureAwait(false);
            return ExitCodes.InternalError;
        }
    }

    private static string VerbName(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            names.Insert(0, result.Command is RootCommand ? "sdapi" : result.Command.Name);
        return string.Join(' ', names);
    }

    public static string OneLine(string message) => string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()));
}
