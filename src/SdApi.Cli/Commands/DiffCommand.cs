using System.CommandLine;
using SdApi.Cli.Infrastructure;
using SdApi.SpecDiff;
using SdApi.SpecDiff.Model;
using SdApi.SpecDiff.Output;
using SdApi.SpecDiff.Reading;

namespace SdApi.Cli.Commands;

/// <summary>`sdapi diff OLD NEW`: what regenerating the bindings from NEW breaks. Exit 1 when breaking, 0 when
/// safe, 2 when a spec cannot be read.</summary>
internal static class DiffCommand
{
    public static Command Create()
    {
        var oldSpec = new Argument<string>("OLD") { Description = "The spec the current bindings were generated from." };
        var newSpec = new Argument<string>("NEW") { Description = "The spec to regenerate from." };
        var format = new Option<string>("--format")
        {
            Description = "Output format: text (default) or json.",
            DefaultValueFactory = _ => "text",
        };
        format.AcceptOnlyFromAmong("text", "json");

        var command = new Command("diff", Help.Text(
            "Compare two versions of openapi.yaml and list what regenerating the bindings from NEW breaks for callers "
            + "and servers (removed operations and fields, new required fields, tightened constraints and x-sdapi-rules, "
            + "type and x-sdapi-kind changes, removed response fields) and what is safe. "
            + "Exit code: 1 when something breaks, 0 otherwise, 2 when a file cannot be read.",
            "sdapi diff old/openapi.yaml openapi.yaml --format json"))
        {
            oldSpec,
            newSpec,
            format,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            DiffReport report;
            try
            {
                report = SpecDiffer.CompareFiles(parse.GetValue(oldSpec)!, parse.GetValue(newSpec)!);
            }
            catch (SpecReadException ex)
            {
                throw new CliException(ex.Message, ex, ExitCodes.BadInput);
            }
            var text = parse.GetValue(format) == "json" ? JsonReportWriter.Write(report) : TextReportWriter.Write(report);
            await output.WriteAsync(text.AsMemory(), cancellationToken).ConfigureAwait(false);
            if (!text.EndsWith('\n'))
                await output.WriteLineAsync().ConfigureAwait(false);
            return report.IsBreaking ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }
}
