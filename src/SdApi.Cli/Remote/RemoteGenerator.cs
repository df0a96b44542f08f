using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SdApi.Bindings;
using SdApi.Bindings.Http;
using SdApi.Cli.Infrastructure;
using Spectre.Console;

namespace SdApi.Cli.Remote;

/// <summary>What `sdapi generate` (without --local) needs, already parsed from the command line.</summary>
internal sealed record RemoteGenerateOptions
{
    public required string OperationId { get; init; }

    /// <summary>Body fields by wire name, as typed on the command line.</summary>
    public required IReadOnlyDictionary<string, string> Values { get; init; }

    public IReadOnlyList<string> Loras { get; init; } = [];
    public Uri? BaseUrl { get; init; }
    public string? Key { get; init; }
    public required string OutputDirectory { get; init; }
    public bool ShowMeta { get; init; }
    public TimeSpan? Timeout { get; init; }
}

/// <summary>`sdapi generate` against a server: builds the typed request, sends it with the generated SdApiClient,
/// follows a `processing` job (GenerateAsync: one call that polls) while the progress display shows status and eta, then
/// saves the outputs and optionally prints meta.</summary>
internal static class RemoteGenerator
{
    public const string KeyVariable = "SDAPI_KEY";

    public static async Task<int> RunAsync(RemoteGenerateOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var operation = GenerateOperation.Find(options.OperationId)
            ?? throw new CliException($"{options.OperationId} is not a generate operation of this sdapi build", ExitCodes.BadInput);
        var key = options.Key ?? Environment.GetEnvironmentVariable(KeyVariable);
        if (string.IsNullOrEmpty(key))
            throw new CliException($"no API key: pass --key or set {KeyVariable}", ExitCodes.BadInput);
        var body = RequestBodyBuilder.Build(options.OperationId, WithLoras(options), GenerateFields.ForGenerate());
        var bodyBytes = System.Text.Encoding.UTF8.GetBytes(body.ToJsonString());

        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        var clientOptions = new SdApiClientOptions { ApiKey = key };
        if (options.BaseUrl is not null)
            clientOptions.BaseAddress = options.BaseUrl;
        if (options.Timeout is { } timeout)
            clientOptions.PollingTimeout = timeout;
        var client = new SdApiClient(http, clientOptions);

        var console = JobProgressDisplay.ConsoleFor(output);
        Outcome outcome;
        Meta? processingMeta = null; // a fetch answer may leave out the meta that the processing answer carried
        try
        {
            var progress = new JobProgressDisplay(console);
            outcome = await progress.RunAsync($"{options.OperationId}: sending", async show =>
            {
                var report = new OutcomeProgress(answer =>
                {
                    processingMeta ??= (answer as ProcessingResponse)?.Meta;
                    show(answer);
                });
                return (await operation.GenerateAsync(client, bodyBytes, report, cancellationToken).ConfigureAwait(false)).Value;
            }).ConfigureAwait(false);
        }
        catch (SdApiValidationException ex)
        {
            throw new CliException(ex.Message, ex, ExitCodes.BadInput);
        }
        catch (SdApiException ex)
        {
            throw new CliException(ex.Message, ex);
        }
        catch (SdApiPollingTimeoutException<Outcome> ex)
        {
            throw new CliException($"{options.OperationId}: {ex.Message} Last answer: {JobProgressDisplay.Describe(ex.LastResponse.Value)} (raise --timeout)", ex);
        }
        catch (TimeoutException ex)
        {
            throw new CliException($"{options.OperationId}: {ex.Message} (raise --timeout)", ex);
        }

        return outcome switch
        {
            SuccessResponse success => await SaveAsync(success, success.Meta ?? processingMeta, options, console, cancellationToken).ConfigureAwait(false),
            ErrorResponse error => throw new CliException($"{options.OperationId}: the API answered error: {Reason(error.Message, error.FieldErrors)}"),
            FailedResponse failed => throw new CliException($"{options.OperationId}: job {failed.Id?.Value} failed: {Reason(failed.Message, failed.FieldErrors)}"),
            _ => throw new CliException($"{options.OperationId}: the job did not finish ({JobProgressDisplay.Describe(outcome)})"),
        };
    }

    private static Dictionary<string, string> WithLoras(RemoteGenerateOptions options)
    {
        var values = new Dictionary<string, string>(options.Values, StringComparer.Ordinal);
        if (LoraList.ToFields(options.Loras) is not { } lora)
            return values;
        if (values.ContainsKey("lora_model") || values.ContainsKey("lora_strength"))
            throw new CliException("use either --lora id:strength or --lora-model/--lora-strength, not both", ExitCodes.BadInput);
        values["lora_model"] = lora.Models;
        values["lora_strength"] = lora.Strengths;
        return values;
    }

    private static async Task<int> SaveAsync(SuccessResponse success, Meta? meta, RemoteGenerateOptions options, IAnsiConsole console,
        CancellationToken cancellationToken)
    {
        var outputs = success.Output ?? [];
        using var downloads = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        var files = await OutputSaver.SaveAsync(downloads, outputs, options.OutputDirectory, success.Id?.Value ?? "", cancellationToken).ConfigureAwait(false);
        foreach (var file in files)
            console.WriteLine(file);
        var time = success.GenerationTime is { } seconds ? string.Create(CultureInfo.InvariantCulture, $" in {seconds:0.##} s") : "";
        console.WriteLine($"{options.OperationId}: success, job {success.Id?.Value ?? "?"}, {files.Count} file(s){time}");
        if (options.ShowMeta)
        {
            console.WriteLine("meta:");
            console.WriteLine(meta is null ? "{}" : JsonNode.Parse(meta.ToJson())!.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }
        return ExitCodes.Success;
    }

    private static string Reason(string? message, IReadOnlyDictionary<string, IReadOnlyList<string>>? fieldErrors)
    {
        if (fieldErrors is { Count: > 0 })
            return string.Join("; ", fieldErrors.Select(f => $"{f.Key}: {string.Join(" ", f.Value)}"));
        return string.IsNullOrWhiteSpace(message) ? "(no message)" : message;
    }
}
