using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using SdApi.Contract.Schemas;
using SdApi.Contract.Spec;

namespace SdApi.Contract.Verify;

/// <summary>Sends each case to a provider and checks the verdict (accepted / validation error naming the field) and
/// that the answer conforms to the response schema openapi.yaml declares for the operation and HTTP status.</summary>
/// <param name="checkTableStatus">also require the HTTP status an edge row names (x-sdapi-http-status): the reference
/// server's choice; the live API answers most refusals with HTTP 200.</param>
/// <param name="checkWarnings">also require that an accepted answer to an edge row reports in <c>meta.warnings</c> exactly
/// the warning rules the row names (the reference server reports them; the live API has no such member).</param>
public sealed class ProviderVerifier(ContractSpec spec, HttpClient http, int parallelism = 4, bool checkTableStatus = false, bool checkWarnings = false)
{
    private readonly ResponseConformance _conformance = new(spec);

    public async Task<IReadOnlyList<VerifyResult>> RunAsync(Uri baseUrl, IEnumerable<VerifyCase> cases, CancellationToken cancellationToken = default)
    {
        var list = cases.ToList();
        var results = new VerifyResult[list.Count];
        await Parallel.ForAsync(0, list.Count, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (i, token) => results[i] = await RunOneAsync(baseUrl, list[i], token).ConfigureAwait(false)).ConfigureAwait(false);
        return results;
    }

    public async Task<VerifyResult> RunOneAsync(Uri baseUrl, VerifyCase verifyCase, CancellationToken cancellationToken = default)
    {
        if (verifyCase.Problem is not null)
            return new VerifyResult(verifyCase, null, [verifyCase.Problem], TimeSpan.Zero);
        var clock = Stopwatch.StartNew();
        int status;
        string body;
        string? mediaType;
        try
        {
            using var content = new StringContent(verifyCase.Body.ToJsonString(), Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(new Uri(baseUrl, verifyCase.Path.TrimStart('/')), content, cancellationToken).ConfigureAwait(false);
            status = (int)response.StatusCode;
            mediaType = response.Content.Headers.ContentType?.MediaType;
            body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return new VerifyResult(verifyCase, null, [$"no answer from the provider: {ex.Message}"], clock.Elapsed);
        }

        var verdict = Verdict.Read(status, body);
        var failures = new List<string>();
        switch (verifyCase.Expect)
        {
            case Expectation.NotInvalid when verdict.Kind == VerdictKind.ValidationError:
                failures.Add($"expected the request to be accepted, got a validation error: {verdict}");
                break;
            case Expectation.Invalid when !verifyCase.Fields.All(verdict.Rejects):
                failures.Add($"expected the request to be refused naming '{string.Join(", ", verifyCase.Fields)}', got {verdict}");
                break;
        }
        if (checkTableStatus && verifyCase.HttpStatus is int expected && status != expected)
            failures.Add($"expected HTTP {expected} (the edge table's status), got HTTP {status}");
        if (checkWarnings && verifyCase.Warnings is { } expectedWarnings && verdict.Kind == VerdictKind.Accepted
            && WarningsProblem(expectedWarnings, body) is { } warningProblem)
            failures.Add(warningProblem);
        if (verdict.Kind == VerdictKind.Unreadable)
            failures.Add($"the answer is not a JSON object ({verdict})");
        else if (mediaType is not null && !mediaType.Contains("json", StringComparison.OrdinalIgnoreCase))
            failures.Add($"Content-Type is {mediaType}, not application/json");
        if (verdict.Kind != VerdictKind.Unreadable)
            foreach (var violation in _conformance.Check(spec.Operation(verifyCase.OperationId), status, body))
                failures.Add($"response violates openapi.yaml ({verifyCase.OperationId}, HTTP {status}): {violation}");
        return new VerifyResult(verifyCase, verdict, failures, clock.Elapsed);
    }

    /// <summary>Compares the rule ids of the answer's <c>meta.warnings</c> with the expected ones (order aside); null when
    /// they agree.</summary>
    private static string? WarningsProblem(IReadOnlyList<string> expected, string body)
    {
        var meta = System.Text.Json.Nodes.JsonNode.Parse(body)?["meta"];
        if (meta is not System.Text.Json.Nodes.JsonObject)
            return expected.Count == 0 ? null : $"expected warnings {string.Join(", ", expected)}, the answer has no meta to carry them";
        var reported = (meta["warnings"] as System.Text.Json.Nodes.JsonArray ?? [])
            .Select(w => w?["rule"] is System.Text.Json.Nodes.JsonValue v && v.TryGetValue(out string? rule) ? rule : "(no rule)")
            .Order(StringComparer.Ordinal).ToList();
        return reported.SequenceEqual(expected.Order(StringComparer.Ordinal), StringComparer.Ordinal)
            ? null
            : $"expected warnings [{string.Join(", ", expected)}] in meta.warnings, got [{string.Join(", ", reported)}]";
    }

    /// <summary>An HttpClient suitable for verify: JSON accept header, a generous timeout.</summary>
    public static HttpClient CreateHttpClient(TimeSpan? timeout = null)
    {
        var client = new HttpClient { Timeout = timeout ?? TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }
}
