using System.Globalization;
using SdApi.Bindings;
using Spectre.Console;

namespace SdApi.Cli.Remote;

/// <summary>Shows the job while it runs: a Spectre.Console status spinner with the latest status and eta on a
/// terminal, one line per change when the output is redirected (logs, tests).</summary>
internal sealed class JobProgressDisplay(IAnsiConsole console)
{
    private string _last = "";

    public static IAnsiConsole ConsoleFor(TextWriter output) =>
        ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected
            ? AnsiConsole.Console
            : AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(output),
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
                Interactive = InteractionSupport.No,
            });

    /// <summary>Runs <paramref name="work"/>, giving it the callback that updates the display.</summary>
    public async Task<T> RunAsync<T>(string title, Func<Action<Outcome>, Task<T>> work)
    {
        if (!console.Profile.Capabilities.Interactive)
            return await work(outcome => WriteLine(Describe(outcome))).ConfigureAwait(false);
        return await console.Status().Spinner(Spinner.Known.Dots).StartAsync(title,
            ctx => work(outcome => ctx.Status(Markup.Escape(Describe(outcome))))).ConfigureAwait(false);
    }

    private void WriteLine(string line)
    {
        if (line == _last)
            return;
        _last = line;
        console.WriteLine(line);
    }

    public static string Describe(Outcome outcome) => outcome switch
    {
        ProcessingResponse p => string.Create(CultureInfo.InvariantCulture,
            $"processing: job {p.Id?.Value ?? "?"}, eta {(p.Eta is { } eta ? $"{eta:0.#} s" : "unknown")}{(p.Message is { Length: > 0 } m ? $" ({m})" : "")}"),
        SuccessResponse s => $"success: job {s.Id?.Value ?? "?"}, {s.Output?.Count ?? 0} output(s)",
        ErrorResponse e => $"error: {e.Message}",
        FailedResponse f => $"failed: {f.Message}",
        _ => outcome.Kind.ToString(),
    };
}
