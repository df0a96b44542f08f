using System.Text.Json.Nodes;
using SdApi.Yaml;

namespace SdApi.Contract.Spec;

/// <summary>openapi.yaml read as a JSON tree plus its operations; the single input of every contract tool.</summary>
public sealed class ContractSpec
{
    private ContractSpec(JsonObject document, IReadOnlyList<SpecOperation> operations)
    {
        Document = document;
        Operations = operations;
    }

    /// <summary>The whole document (YAML read with quoted scalars kept as strings).</summary>
    public JsonObject Document { get; }

    public IReadOnlyList<SpecOperation> Operations { get; }

    /// <summary><c>components/schemas</c>, name to schema.</summary>
    public JsonObject Schemas => Document["components"]?["schemas"] as JsonObject ?? [];

    public SpecOperation Operation(string operationId) =>
        Operations.FirstOrDefault(o => o.OperationId == operationId)
        ?? throw new KeyNotFoundException($"openapi.yaml has no operation '{operationId}'.");

    public static ContractSpec Load(string path) => Parse(File.ReadAllText(path));

    /// <summary>The copy of openapi.yaml embedded into this assembly at build time.</summary>
    public static ContractSpec LoadEmbedded() => Parse(EmbeddedSpecFiles.Read("openapi.yaml"));

    public static ContractSpec Parse(string yaml)
    {
        var document = YamlJson.Parse(yaml, "openapi.yaml") as JsonObject
            ?? throw new InvalidDataException("openapi.yaml is not a YAML mapping.");
        var operations = new List<SpecOperation>();
        foreach (var (path, item) in document["paths"] as JsonObject ?? [])
        {
            if (item is not JsonObject pathItem) continue;
            foreach (var (method, node) in pathItem)
            {
                if (node is not JsonObject op || method is "parameters" or "summary" or "description" || method.StartsWith("x-", StringComparison.Ordinal))
                    continue;
                operations.Add(ReadOperation(document, path, method, op, pathItem["parameters"] as JsonArray));
            }
        }
        return new ContractSpec(document, operations);
    }

    /// <summary>Follows a local <c>$ref</c> ("#/components/...") to the node it names.</summary>
    public JsonNode Resolve(string reference) => Resolve(Document, reference);

    private static JsonNode Resolve(JsonObject document, string reference)
    {
        if (!reference.StartsWith("#/", StringComparison.Ordinal))
            throw new NotSupportedException($"Only local $refs are supported, not '{reference}'.");
        JsonNode? node = document;
        foreach (var raw in reference[2..].Split('/'))
            node = node?[raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)];
        return node ?? throw new KeyNotFoundException($"openapi.yaml: $ref '{reference}' points nowhere.");
    }

    /// <summary>Follows <c>$ref</c> chains until a node without one.</summary>
    public JsonNode Deref(JsonNode node) => Deref(Document, node);

    private static JsonNode Deref(JsonObject document, JsonNode node)
    {
        for (var i = 0; i < 32 && node is JsonObject o && o["$ref"] is JsonValue r; i++)
            node = Resolve(document, r.GetValue<string>());
        return node;
    }

    private static SpecOperation ReadOperation(JsonObject document, string path, string method, JsonObject op, JsonArray? sharedParameters)
    {
        var id = op["operationId"]?.GetValue<string>() ?? $"{method} {path}";
        var kind = op["x-sdapi-kind"]?.GetValue<string>() ?? "";
        var tag = (op["tags"] as JsonArray)?.FirstOrDefault()?.GetValue<string>();

        JsonNode? requestSchema = null;
        var requestExamples = new List<SpecExample>();
        if (op["requestBody"] is JsonNode body && Deref(document, body)["content"]?["application/json"] is JsonObject media)
        {
            requestSchema = media["schema"];
            requestExamples.AddRange(ReadExamples(document, media));
        }

        var responses = new Dictionary<string, SpecResponse>(StringComparer.OrdinalIgnoreCase);
        foreach (var (status, node) in op["responses"] as JsonObject ?? [])
        {
            if (node is null) continue;
            var response = Deref(document, node);
            var json = response["content"]?["application/json"] as JsonObject;
            responses[status] = new SpecResponse(status, json?["schema"], json is null ? [] : ReadExamples(document, json));
        }

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in (sharedParameters ?? []).Concat(op["parameters"] as JsonArray ?? []))
        {
            if (p is null) continue;
            var parameter = Deref(document, p);
            if (parameter["in"]?.GetValue<string>() != "path") continue;
            var example = parameter["example"] ?? parameter["schema"]?["example"]
                ?? (parameter["examples"] as JsonObject)?.Select(e => e.Value?["value"]).FirstOrDefault(v => v is not null);
            parameters[parameter["name"]!.GetValue<string>()] = example is JsonValue v ? v.ToString() : "1";
        }
        return new SpecOperation(id, method.ToUpperInvariant(), path, kind, tag, requestSchema, requestExamples, responses, parameters);
    }

    private static List<SpecExample> ReadExamples(JsonObject document, JsonObject media)
    {
        var list = new List<SpecExample>();
        foreach (var (name, node) in media["examples"] as JsonObject ?? [])
        {
            if (node is null) continue;
            var example = Deref(document, node);
            list.Add(new SpecExample(name, example["value"]?.DeepClone(), example["x-sdapi-example-file"]?.GetValue<string>()));
        }
        if (list.Count == 0 && media["example"] is JsonNode single)
            list.Add(new SpecExample("example", single.DeepClone(), null));
        return list;
    }
}
