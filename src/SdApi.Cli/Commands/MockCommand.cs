using System.CommandLine;
using System.Globalization;
using SdApi.Cli.Infrastructure;
using SdApi.Contract.Mappings;
using SdApi.Contract.Spec;

namespace SdApi.Cli.Commands;

/// <summary>`sdapi mock export --out DIR`: the spec-derived WireMock mappings as files any WireMock can load.</summary>
internal static class MockCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out")
        {
            Description = "Folder to write; the mappings go to DIR/mappings/*.json (start WireMock with --root-dir DIR).",
            Required = true,
        };
        var spec = new Option<string?>("--spec") { Description = "openapi.yaml to derive from (default: the copy built into sdapi)." };
        var retryAfter = new Option<double?>("--retry-after") { Description = "retry_after (seconds) in the 429 stubs (default: the spec example's)." };
        var eta = new Option<double?>("--eta") { Description = "eta (seconds) in the processing stubs (default: the spec example's)." };

        var export = new Command("export", Help.Text(
            "Write the stub mappings derived from openapi.yaml: per operation a stub that checks the body against the request "
            + "schema (matchesJsonSchema) and answers the spec's success example, plus stubs picked by the body's key: "
            + $"{MockKeys.Processing} (processing -> processing -> success), {MockKeys.Error}, {MockKeys.Failed}, "
            + $"{MockKeys.RateLimitOnce} / {MockKeys.RateLimitAlways} (429 with retry_after), {MockKeys.ServerErrorOnce} / "
            + $"{MockKeys.ServerErrorAlways}, {MockKeys.ConnectionResetOnce}, {MockKeys.Slow}, {MockKeys.BadRequest}. "
            + "Add your own mappings to the same folder; `sdapi verify --mappings DIR` replays them against a provider.",
            "sdapi mock export --out ./wiremock && java -jar wiremock-standalone.jar --root-dir ./wiremock --port 8089"))
        {
            output,
            spec,
            retryAfter,
            eta,
        };
        export.SetAction(async (parse, cancellationToken) =>
        {
            var contract = LoadSpec(parse.GetValue(spec));
            var options = new MockOptions { RetryAfterSeconds = parse.GetValue(retryAfter), EtaSeconds = parse.GetValue(eta) };
            var files = MappingExporter.Export(new MappingGenerator(contract, options, LoadEdgesOrNull(parse.GetValue(spec))).All(), parse.GetValue(output)!);
            await parse.InvocationConfiguration.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"wrote {files.Count} mappings for {contract.Operations.Count} operations to {Path.Combine(parse.GetValue(output)!, "mappings")}"))
                .ConfigureAwait(false);
            return ExitCodes.Success;
        });

        return new Command("mock", "Spec-derived WireMock mappings (see `sdapi mock export --help`).") { export };
    }

    /// <summary>The edge table beside a --spec file (spec/edge-values.json), or the built-in one; null when absent.</summary>
    private static EdgeTable? LoadEdgesOrNull(string? specPath)
    {
        try
        {
            if (specPath is null) return EdgeTable.LoadEmbedded();
            var beside = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(specPath)) ?? ".", "spec", "edge-values.json");
            return File.Exists(beside) ? EdgeTable.Load(beside) : null;
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The built-in spec, or <paramref name="path"/> after the checks <c>sdapi diff</c> makes (OpenAPI 3, paths,
    /// every local $ref resolves, operationIds unique): a broken file is bad input (exit 2) naming file and line.</summary>
    internal static ContractSpec LoadSpec(string? path)
    {
        if (path is null) return ContractSpec.LoadEmbedded();
        try
        {
            _ = SdApi.SpecDiff.Reading.SpecDocument.Load(path);
            return ContractSpec.Load(path);
        }
        catch (SdApi.SpecDiff.Reading.SpecReadException ex)
        {
            throw new CliException(ex.Message, ex, ExitCodes.BadInput);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or SdApi.Yaml.YamlReadException or UnauthorizedAccessException or KeyNotFoundException)
        {
            throw new CliException($"cannot read the spec {path}: {ex.Message}", ex, ExitCodes.BadInput);
        }
    }
}
