using System.CommandLine;
using System.Globalization;
using SdApi.Cli.Infrastructure;
using SdApi.Contract.Mappings;
using SdApi.Contract.Spec;
using SdApi.Contract.Verify;

// The contract tests run `sdapi verify` in process against the reference server and a wrong stub.
[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("SdApi.Contract.Tests")]

namespace SdApi.Cli.Commands;

/// <summary>`sdapi verify --base-url URL --key KEY`: replays the spec's examples, the edge-value rows and (with
/// --mappings) each WireMock mapping's request against a provider; exit 0 only when every check passes.</summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var baseUrl = new Option<string>("--base-url") { Description = "The provider, e.g. http://127.0.0.1:5000.", Required = true };
        var key = new Option<string>("--key") { Description = "API key the provider accepts (replaces the examples' key).", Required = true };
        var mappings = new Option<string?>("--mappings") { Description = "A WireMock folder (DIR/mappings/*.json) whose stubs' requests are replayed too." };
        var junit = new Option<string?>("--junit") { Description = "Write the results as JUnit XML to this file." };
        var spec = new Option<string?>("--spec") { Description = "openapi.yaml (default: the copy built into sdapi)." };
        var edgeValues = new Option<string?>("--edge-values") { Description = "spec/edge-values.json (default: the copy built into sdapi)." };
        var parallel = new Option<int>("--parallel") { Description = "Requests in flight at once.", DefaultValueFactory = _ => 4 };
        var tableStatus = new Option<bool>("--table-status")
        {
            Description = "Also require the HTTP status each edge row names (x-sdapi-http-status, the reference server's choice; the live API answers most refusals with 200).",
        };
        var warnings = new Option<bool>("--warnings")
        {
            Description = "Also require that each accepted edge row's answer reports exactly the row's warning rules in meta.warnings (the reference server does; the live API has no such member).",
        };
        var operations = new Option<string[]>("--operation")
        {
            Description = "Only check this operationId (repeatable), for providers that implement part of the API.",
            AllowMultipleArgumentsPerToken = false,
        };

        var command = new Command("verify", Help.Text(
            "Check a provider against openapi.yaml: every request example of the spec must be accepted, every edge-value row "
            + "must be accepted or rejected naming its field as the table says, each mapping's request must get the verdict "
            + "its stub promises, and every answer must conform to the operation's response schema. Prints a summary; "
            + "exit 0 only when all pass, 1 when something fails, 2 on bad input.",
            "sdapi verify --base-url http://127.0.0.1:5000 --key test-key --mappings ./wiremock --junit verify.xml"))
        {
            baseUrl,
            key,
            mappings,
            junit,
            spec,
            edgeValues,
            parallel,
            operations,
            tableStatus,
            warnings,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var contract = MockCommand.LoadSpec(parse.GetValue(spec));
            var edges = LoadEdges(parse.GetValue(edgeValues));
            var plan = new VerifyPlan(contract, parse.GetValue(key)!);
            var cases = plan.Examples().Concat(plan.EdgeRows(edges)).ToList();
            if (parse.GetValue(mappings) is string dir)
            {
                if (!Directory.Exists(dir))
                    throw new CliException($"--mappings: no folder {dir}", ExitCodes.BadInput);
                cases.AddRange(plan.Mappings(ReadMappings(dir)));
            }

            if (parse.GetValue(operations) is { Length: > 0 } only)
            {
                var unknown = only.Where(id => contract.Operations.All(o => o.OperationId != id)).ToList();
                if (unknown.Count > 0)
                    throw new CliException($"--operation: openapi.yaml has no operation {string.Join(", ", unknown)}", ExitCodes.BadInput);
                cases = cases.Where(c => only.Contains(c.OperationId, StringComparer.Ordinal)).ToList();
            }

            if (!Uri.TryCreate(parse.GetValue(baseUrl), UriKind.Absolute, out var provider) || provider.Scheme is not ("http" or "https"))
                throw new CliException($"--base-url: '{parse.GetValue(baseUrl)}' is not an absolute http(s) URL", ExitCodes.BadInput);
            if (!provider.AbsoluteUri.EndsWith('/')) provider = new Uri(provider.AbsoluteUri + "/");
            using var http = ProviderVerifier.CreateHttpClient();
            var results = await new ProviderVerifier(contract, http, Math.Max(1, parse.GetValue(parallel)), parse.GetValue(tableStatus), parse.GetValue(warnings))
                .RunAsync(provider, cases, cancellationToken).ConfigureAwait(false);

            await WriteSummaryAsync(output, provider, results).ConfigureAwait(false);
            if (parse.GetValue(junit) is string file)
                JUnitWriter.Write(results, file);
            return results.All(r => r.Passed) ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }

    /// <summary>The stubs of --mappings; a file that is not JSON is bad input (exit 2) naming file and line.</summary>
    private static IReadOnlyList<System.Text.Json.Nodes.JsonObject> ReadMappings(string dir)
    {
        try
        {
            return MappingExporter.Read(dir);
        }
        catch (System.Text.Json.JsonException ex)
        {
            var file = ex.Data["file"] as string ?? dir;
            throw new CliException($"--mappings: {file}:{(ex.LineNumber ?? 0) + 1}: not JSON ({ex.Message})", ex, ExitCodes.BadInput);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"--mappings: cannot read {dir}: {ex.Message}", ex, ExitCodes.BadInput);
        }
    }

    private static EdgeTable LoadEdges(string? path)
    {
        try
        {
            return path is null ? EdgeTable.LoadEmbedded() : EdgeTable.Load(path);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or System.Text.Json.JsonException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read the edge-value table {path ?? "(built in)"}: {ex.Message}", ex, ExitCodes.BadInput);
        }
    }

    private static async Task WriteSummaryAsync(TextWriter output, Uri provider, IReadOnlyList<VerifyResult> results)
    {
        foreach (var failed in results.Where(r => !r.Passed))
        {
            await output.WriteLineAsync($"FAIL {failed.Case.Suite} {failed.Case.Name}").ConfigureAwait(false);
            foreach (var failure in failed.Failures)
                await output.WriteLineAsync("     " + failure).ConfigureAwait(false);
        }
        foreach (var suite in results.GroupBy(r => r.Case.Suite))
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{suite.Key,-12} {suite.Count(r => r.Passed),4} passed {suite.Count(r => !r.Passed),4} failed")).ConfigureAwait(false);
        var failedCount = results.Count(r => !r.Passed);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"sdapi verify {provider}: {results.Count} checks, {results.Count - failedCount} passed, {failedCount} failed")).ConfigureAwait(false);
    }
}
