using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using SdApi.Contract.Schemas;
using SdApi.Contract.Spec;

namespace SdApi.Contract.Mappings;

/// <summary>
/// Derives WireMock stub mappings from openapi.yaml: per operation a stub that matches the path and checks the body
/// with <c>matchesJsonSchema</c> (<see cref="AcceptedSchema"/>: what the generated reader converts and every
/// error rule JSON Schema can say, numeric strings bounded by patterns) and answers the spec's success example; selected
/// by the body's <c>key</c> (<see cref="MockKeys"/>), the processing -> processing -> success polling scenario, error,
/// failed, 429 with retry_after, 5xx, connection-reset and slow answers. A body the validator refuses matches none of
/// those: below them (larger priority numbers), one stub per field's wire type and per rule matches exactly the bodies
/// that break it and answers the API's validation error naming the field; a last stub per operation answers any other
/// body with the API's error shape, so no request to a known path gets WireMock's bare 404.
/// </summary>
/// <param name="edges">optional: the edge-value table, whose minimal valid bodies stand in as the replayable request
/// of operations the spec shows no request example for.</param>
public sealed class MappingGenerator(ContractSpec spec, MockOptions? options = null, EdgeTable? edges = null)
{
    public const string PollingScenario = "polling";
    private const int DefaultPriority = 5;
    private const int KeyedPriority = 1;
    private const int ViolationPriority = 10;
    private const int CatchAllPriority = 1000;

    private readonly MockOptions _options = options ?? MockOptions.Default;
    private readonly ResponseExamples _examples = new(spec);

    /// <summary>Every stub for every operation.</summary>
    public IReadOnlyList<JsonObject> All() => spec.Operations.SelectMany(For).ToList();

    /// <summary>The stubs of one operation.</summary>
    public IEnumerable<JsonObject> For(SpecOperation operation)
    {
        var rules = RequestRules.For(spec, operation);
        var schema = operation.RequestSchema is null ? null : AcceptedSchema(rules).ToJsonString();
        var success = _examples.Outcome(operation, "success") ?? Fallback.Success();

        yield return Stub(operation, "success", schema, null, DefaultPriority, Json(200, success), expect: "accepted");

        if (operation.Kind == "generate")
            yield return Stub(operation, "processing", schema, MockKeys.Processing, KeyedPriority,
                Json(200, Processing(operation)), scenario: (PollingScenario, null, "queued"));
        if (operation.Kind == "fetch")
        {
            yield return Stub(operation, "polling (1/2: processing)", schema, MockKeys.Processing, KeyedPriority,
                Json(200, Processing(operation)), scenario: (PollingScenario, "queued", "running"));
            yield return Stub(operation, "polling (2/2: success)", schema, MockKeys.Processing, KeyedPriority,
                Json(200, success), scenario: (PollingScenario, "running", null));
        }

        yield return Stub(operation, "error", schema, MockKeys.Error, KeyedPriority,
            Json(200, _examples.Outcome(operation, "error") ?? Fallback.Error()));
        yield return Stub(operation, "failed", schema, MockKeys.Failed, KeyedPriority,
            Json(200, _examples.Outcome(operation, "failed") ?? Fallback.Failed()));

        var rateLimit = RateLimit(operation);
        var once = $"rate-limit {operation.OperationId}";
        yield return Stub(operation, "rate-limit (1/2: 429)", schema, MockKeys.RateLimitOnce, KeyedPriority, Json(429, rateLimit), scenario: (once, "Started", "retried"));
        yield return Stub(operation, "rate-limit (2/2: success)", schema, MockKeys.RateLimitOnce, KeyedPriority, Json(200, success), scenario: (once, "retried", null));
        yield return Stub(operation, "rate-limit always", schema, MockKeys.RateLimitAlways, KeyedPriority, Json(429, RateLimit(operation)));

        var serverError = $"server-error {operation.OperationId}";
        yield return Stub(operation, "server-error (1/2: 503)", schema, MockKeys.ServerErrorOnce, KeyedPriority,
            Json(503, _examples.ForStatus(operation, 503) ?? Fallback.ServerError("Service Unavailable")), scenario: (serverError, "Started", "retried"));
        yield return Stub(operation, "server-error (2/2: success)", schema, MockKeys.ServerErrorOnce, KeyedPriority, Json(200, success), scenario: (serverError, "retried", null));
        yield return Stub(operation, "server-error always", schema, MockKeys.ServerErrorAlways, KeyedPriority,
            Json(500, _examples.ForStatus(operation, 500) ?? Fallback.ServerError("Internal Server Error")));

        var reset = $"connection-reset {operation.OperationId}";
        yield return Stub(operation, "connection-reset (1/2: fault)", schema, MockKeys.ConnectionResetOnce, KeyedPriority,
            new JsonObject { ["fault"] = "CONNECTION_RESET_BY_PEER" }, scenario: (reset, "Started", "retried"));
        yield return Stub(operation, "connection-reset (2/2: success)", schema, MockKeys.ConnectionResetOnce, KeyedPriority, Json(200, success), scenario: (reset, "retried", null));

        var slow = Json(200, success);
        slow["fixedDelayMilliseconds"] = (int)_options.SlowDelay.TotalMilliseconds;
        yield return Stub(operation, "slow", schema, MockKeys.Slow, KeyedPriority, slow);

        yield return Stub(operation, "bad-request", schema, MockKeys.BadRequest, KeyedPriority,
            Json(400, _examples.ValidationError(operation, 400) ?? Fallback.ValidationError(spec, operation)));

        foreach (var violation in Violations(operation, rules))
            yield return violation;
    }

    /// <summary>The request schema the success stubs match: every property as the generated reader accepts it, and
    /// every error rule JSON Schema can say (warnings are accepted).</summary>
    public static JsonObject AcceptedSchema(RequestRules rules)
    {
        var properties = new JsonObject();
        foreach (var (name, _) in rules.Properties)
            properties[name] = rules.WireSchema(name);
        var holds = new JsonArray();
        foreach (var rule in rules.Rules.Where(r => r.IsError))
            if (rules.Holds(rule) is { } fragment)
                holds.Add(fragment);
        var schema = new JsonObject
        {
            ["$schema"] = SchemaDerivation.DraftUri,
            ["type"] = "object",
            ["properties"] = properties,
        };
        if (holds.Count > 0) schema["allOf"] = holds;
        return schema;
    }

    /// <summary>Error rules of the operation that JSON Schema cannot say: only the generated validator (server,
    /// in-process mock) enforces them.</summary>
    public static IReadOnlyList<SpecRule> NotExpressible(RequestRules rules) =>
        rules.Rules.Where(r => r.IsError && rules.Holds(r) is null).ToList();

    /// <summary>Below the success stubs, in the validator's order (wire types first, then rules): a stub per field's wire
    /// type and per rule that matches the bodies breaking it and answers the API's validation error naming the field.</summary>
    private IEnumerable<JsonObject> Violations(SpecOperation operation, RequestRules rules)
    {
        if (operation.RequestSchema is null) yield break;
        var priority = ViolationPriority;
        foreach (var (field, _) in rules.Properties)
        {
            var breaks = new JsonObject { ["not"] = new JsonObject { ["properties"] = new JsonObject { [field] = rules.WireSchema(field) } } };
            yield return Violation(operation, $"refuses {field} (wire type)", breaks, field, rules.WireMessage(field), priority++);
        }
        foreach (var rule in rules.Rules.Where(r => r.IsError))
        {
            if (rules.Holds(rule) is not { } holds) continue;
            yield return Violation(operation, $"refuses {rule.Field} ({rule.Id})", new JsonObject { ["not"] = holds }, rule.Field, rule.Message, priority++);
        }
        yield return Stub(operation, "refuses any other body", null, null, CatchAllPriority,
            Json(400, new JsonObject { ["status"] = "error", ["message"] = "The request body is not a JSON object this operation accepts." }));
    }

    private JsonObject Violation(SpecOperation operation, string behaviour, JsonObject breaks, string field, string message, int priority)
    {
        breaks["$schema"] = SchemaDerivation.DraftUri;
        var body = new JsonObject { ["status"] = "error", ["message"] = new JsonObject { [field] = new JsonArray(message) } };
        var stub = Stub(operation, behaviour, breaks.ToJsonString(), null, priority, Json(HttpStatusFor(operation, field), body));
        stub["metadata"]!["sdapi"]!["refuses"] = field;
        return stub;
    }

    /// <summary>The HTTP status the spec's edge table gives refusals naming <paramref name="field"/> (x-sdapi-http-status;
    /// a missing key is 401), else 400.</summary>
    private int HttpStatusFor(SpecOperation operation, string field) =>
        edges?.Rows.Where(r => !r.Valid && r.Field == field && r.HttpStatus is not null)
            .OrderBy(r => r.Operation == operation.OperationId ? 0 : 1)
            .Select(r => r.HttpStatus!.Value).FirstOrDefault() is int status and not 0 ? status : 400;

    private JsonObject Processing(SpecOperation operation)
    {
        var body = _examples.Outcome(operation, "processing") ?? Fallback.Processing();
        if (_options.EtaSeconds is double eta && body.ContainsKey("eta"))
            body["eta"] = eta;
        // Point fetch_result at whichever host serves the stub, so a client that follows it stays on the mock.
        if (body["fetch_result"] is JsonValue link && Uri.TryCreate(link.ToString(), UriKind.Absolute, out var uri))
            body["fetch_result"] = "{{request.baseUrl}}" + uri.PathAndQuery;
        return body;
    }

    private JsonObject RateLimit(SpecOperation operation)
    {
        var body = _examples.ForStatus(operation, 429) ?? Fallback.RateLimit();
        if (_options.RetryAfterSeconds is double seconds)
            body["retry_after"] = seconds;
        return body;
    }

    private static JsonObject Json(int status, JsonObject body)
    {
        var response = new JsonObject
        {
            ["status"] = status,
            ["headers"] = new JsonObject { ["Content-Type"] = "application/json" },
            ["jsonBody"] = body.DeepClone(),
        };
        if (body.ToJsonString().Contains("{{", StringComparison.Ordinal))
            response["transformers"] = new JsonArray("response-template");
        return response;
    }

    private JsonObject Stub(SpecOperation operation, string behaviour, string? schema, string? key, int priority,
        JsonObject response, (string Name, string? Required, string? Next)? scenario = null, string expect = "any")
    {
        var name = $"{operation.OperationId} {behaviour}";
        var request = new JsonObject { ["method"] = operation.Method };
        if (operation.TemplateParameters().Any()) request["urlPathTemplate"] = operation.Path;
        else request["urlPath"] = operation.Path;
        var patterns = new JsonArray();
        if (schema is not null)
            patterns.Add(new JsonObject { ["matchesJsonSchema"] = schema, ["schemaVersion"] = "V7" });
        if (key is not null)
            patterns.Add(new JsonObject { ["matchesJsonPath"] = new JsonObject { ["expression"] = "$.key", ["equalTo"] = key } });
        if (patterns.Count > 0) request["bodyPatterns"] = patterns;

        var stub = new JsonObject
        {
            ["id"] = StableId(name).ToString(),
            ["name"] = name,
            ["priority"] = priority,
            ["request"] = request,
            ["response"] = response,
        };
        if (scenario is var (scenarioName, required, next))
        {
            stub["scenarioName"] = scenarioName;
            if (required is not null) stub["requiredScenarioState"] = required;
            if (next is not null) stub["newScenarioState"] = next;
        }
        var example = priority < ViolationPriority ? ExampleRequest(operation, key) : null;
        var metadata = new JsonObject
        {
            ["operationId"] = operation.OperationId,
            ["behaviour"] = behaviour,
            ["key"] = key,
            // What `sdapi verify` expects a real provider to answer to this stub's request:
            // "accepted" (no validation error) or "any" (the stub simulates a provider state; only conformance is checked).
            ["expect"] = example is null ? "any" : expect,
        };
        if (example is not null && priority < ViolationPriority)
            metadata["request"] = new JsonObject { ["path"] = operation.ConcretePath(), ["body"] = example };
        stub["metadata"] = new JsonObject { ["sdapi"] = metadata };
        return stub;
    }

    /// <summary>The operation's first request example, else the edge table's minimal valid body, else an example of an
    /// operation with the same request schema (v4 and v6 fetch share FetchRequest); null when there is none.</summary>
    private JsonObject? ExampleRequest(SpecOperation operation, string? key)
    {
        var schema = operation.RequestSchema?.ToJsonString();
        var body = operation.RequestExamples.Select(e => e.Value).OfType<JsonObject>().FirstOrDefault()
            ?? edges?.Bases.GetValueOrDefault(operation.OperationId)
            ?? spec.Operations.Where(o => o != operation && o.RequestSchema?.ToJsonString() == schema)
                .SelectMany(o => o.RequestExamples).Select(e => e.Value).OfType<JsonObject>().FirstOrDefault();
        if (body is null) return null;
        var copy = body.DeepClone().AsObject();
        if (key is not null) copy["key"] = key;
        return copy;
    }

    /// <summary>A GUID derived from the stub's name, so exports are stable and re-imports overwrite.</summary>
    private static Guid StableId(string name)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(name));
        return new Guid(hash.AsSpan(0, 16));
    }
}
