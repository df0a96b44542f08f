using System.CommandLine;
using System.Text.Json;
using SdApi.Bindings;
using SdApi.Cli.Infrastructure;

namespace SdApi.Cli.Commands;

/// <summary>`sdapi validate API-PATH BODY`: runs the generated validator of the operation at API-PATH on a JSON body
/// (a file, or `-` for stdin) and prints what the API would answer: the error JSON, or an `ok` line; then one
/// `warning <field>: <message> (<rule>)` line per warning. Exit 0 when valid (warnings or not), 1 when not, 2 when the
/// path is unknown or the body cannot be read.</summary>
public static class ValidateCommand
{
    public static Command Create()
    {
        var apiPath = new Argument<string>("API-PATH") { Description = "The operation's path, e.g. /api/v6/images/text2img or /api/v4/dreambooth/fetch/42." };
        var body = new Argument<string>("BODY") { Description = "The JSON request body: a file, or - to read stdin." };
        var command = new Command("validate", Help.Text(
            "Validate a request body against the rules of openapi.yaml (the generated validator, the same the client and "
            + "the reference server run). Prints the API's validation error JSON, or 'ok <operationId>', then a "
            + "'warning <field>: <message> (<rule>)' line per doubtful value (spec/rules.md; the request is still valid). "
            + "Exit code: 0 valid (with or without warnings), 1 invalid, 2 unknown path or unreadable body.",
            "sdapi validate /api/v6/images/text2img body.json",
            "echo '{\"key\":\"k\"}' | sdapi validate /api/v6/images/fetch/42 -"))
        {
            apiPath,
            body,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var path = parse.GetValue(apiPath)!;
            var operation = SdApiOperations.FindByPath(path)
                ?? throw new CliException($"no operation at '{path}'; known: {string.Join(", ", SdApiOperations.All.Select(o => o.PathTemplate))}", ExitCodes.BadInput);
            var source = parse.GetValue(body)!;
            var json = await ReadBodyAsync(source, cancellationToken).ConfigureAwait(false);
            Bindings.Validation.ValidationResult result;
            try
            {
                result = operation.ValidateJson(json);
            }
            catch (JsonException ex)
            {
                throw new CliException($"{(source == "-" ? "stdin" : source)}:{(ex.LineNumber ?? 0) + 1}: not a JSON object: {ex.Message}", ex, ExitCodes.BadInput);
            }
            await output.WriteLineAsync(result.IsValid ? $"ok {operation.OperationId}" : result.ToJson()).ConfigureAwait(false);
            foreach (var warning in result.Warnings)
                await output.WriteLineAsync($"warning {warning.Field}: {warning.Message} ({warning.RuleId})").ConfigureAwait(false);
            return result.IsValid ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }

    private static async Task<byte[]> ReadBodyAsync(string source, CancellationToken cancellationToken)
    {
        try
        {
            if (source == "-")
            {
                using var stdin = Console.OpenStandardInput();
                using var buffer = new MemoryStream();
                await stdin.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
                return buffer.ToArray();
            }
            return await File.ReadAllBytesAsync(source, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            throw new CliException($"cannot read {source}: {ex.Message}", ex, ExitCodes.BadInput);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new CliException($"cannot read {source}: {ex.Message}", ex, ExitCodes.BadInput);
        }
    }
}
