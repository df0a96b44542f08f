using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SdApi.Contract.Spec;

namespace SdApi.Contract.Verify;

/// <summary>Builds the cases <c>sdapi verify</c> replays: the spec's request examples, every edge-value row, and the
/// request of each WireMock mapping (spec-derived or a consumer's own).</summary>
public sealed class VerifyPlan(ContractSpec spec, string key)
{
    public IEnumerable<VerifyCase> Examples() =>
        from operation in spec.Operations
        from example in operation.RequestExamples
        where example.Value is JsonObject
        select new VerifyCase("examples", $"{operation.OperationId} {example.Name}", operation.OperationId,
            operation.ConcretePath(), WithKey((JsonObject)example.Value!, replaceAny: true), Expectation.NotInvalid, []);

    public IEnumerable<VerifyCase> EdgeRows(EdgeTable table) =>
        from row in table.Rows
        let operation = spec.Operation(row.Operation)
        select new VerifyCase("edge-values", row.Id, row.Operation, operation.ConcretePath(),
            // the base's placeholder key becomes the provider's key; a row that patches `key` keeps its value
            row.Patch.ContainsKey("key") ? table.Body(row) : WithKey(table.Body(row), replaceAny: true),
            row.Valid ? Expectation.NotInvalid : Expectation.Invalid,
            row.Field is null ? [] : [row.Field],
            HttpStatus: row.HttpStatus,
            Warnings: row.Valid ? row.Warnings ?? [] : null);

    /// <summary>One case per distinct request among the mappings (stubs that differ only in scenario state share one).</summary>
    public IEnumerable<VerifyCase> Mappings(IEnumerable<JsonObject> mappings)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var mapping in mappings)
        {
            var name = mapping["name"]?.GetValue<string>() ?? mapping["id"]?.GetValue<string>() ?? "(unnamed mapping)";
            var request = ConcreteRequest(mapping);
            if (request is null && mapping["metadata"]?["sdapi"] is not null)
                continue; // a spec-derived stub for an operation with no example request: nothing to replay
            if (request is null)
            {
                yield return new VerifyCase("mappings", name, "", "", [], Expectation.Any, [],
                    "the stub has no concrete request to replay: give it a urlPath/url and an equalToJson body, or metadata.sdapi.request {path, body}");
                continue;
            }
            var (path, body, recorded) = request.Value;
            var operation = FindOperation(path);
            var (expect, fields) = ExpectationOf(mapping);
            // A request recorded in metadata.sdapi always takes the provider's key; a consumer's equalToJson body keeps
            // an empty or missing key (that stub is then about the key).
            var caseBody = WithKey(body, replaceAny: recorded);
            if (!seen.Add($"{path} {caseBody.ToJsonString()} {expect} {string.Join(',', fields)}")) continue;
            yield return new VerifyCase("mappings", name, operation?.OperationId ?? "", path, caseBody, expect, fields,
                operation is null ? $"POST {path} is not an operation of openapi.yaml" : null);
        }
    }

    /// <summary>The operation whose path template matches <paramref name="path"/>.</summary>
    public SpecOperation? FindOperation(string path) =>
        spec.Operations.FirstOrDefault(o => o.Path == path)
        ?? spec.Operations.FirstOrDefault(o => Regex.IsMatch(path, "^" + Regex.Replace(Regex.Escape(o.Path), @"\\\{[^}]+}", "[^/]+") + "$"));

    private static (string Path, JsonObject Body, bool Recorded)? ConcreteRequest(JsonObject mapping)
    {
        if (mapping["metadata"]?["sdapi"]?["request"] is JsonObject recorded && recorded["path"] is JsonValue p && recorded["body"] is JsonObject b)
            return (p.GetValue<string>(), b, true);
        var request = mapping["request"] as JsonObject;
        var path = request?["urlPath"]?.GetValue<string>() ?? request?["url"]?.GetValue<string>();
        if (path is null) return null;
        var body = (request?["bodyPatterns"] as JsonArray ?? [])
            .Select(p => p?["equalToJson"])
            .Select(v => v is JsonValue text && text.TryGetValue(out string? s) ? JsonNode.Parse(s) : v)
            .OfType<JsonObject>()
            .FirstOrDefault();
        return body is null ? null : (path, body, false);
    }

    /// <summary>metadata.sdapi.expect when the stub says; otherwise read from the stub's answer: an accepted outcome
    /// means the provider must not reject the request, a validation error means it must reject it naming the same fields.</summary>
    private static (Expectation, IReadOnlyList<string>) ExpectationOf(JsonObject mapping)
    {
        switch (mapping["metadata"]?["sdapi"]?["expect"]?.GetValue<string>())
        {
            case "accepted": return (Expectation.NotInvalid, []);
            case "any": return (Expectation.Any, []);
        }
        var response = mapping["response"];
        var status = response?["status"]?.GetValue<int>() ?? 200;
        var body = response?["jsonBody"] ?? (response?["body"] is JsonValue text && text.TryGetValue(out string? s) ? TryParse(s) : null);
        if (body is null) return (Expectation.Any, []);
        var verdict = Verdict.Read(status, body.ToJsonString());
        return verdict.Kind switch
        {
            VerdictKind.Accepted => (Expectation.NotInvalid, []),
            VerdictKind.ValidationError => (Expectation.Invalid, verdict.Fields),
            _ => (Expectation.Any, []),
        };
    }

    private static JsonNode? TryParse(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private JsonObject WithKey(JsonObject body, bool replaceAny)
    {
        var copy = body.DeepClone().AsObject();
        if (replaceAny || copy["key"] is JsonValue v && v.TryGetValue(out string? s) && s.Length > 0)
            copy["key"] = key;
        return copy;
    }
}
