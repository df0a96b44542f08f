using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using NSwag;
using SdApi.Tests.Shared;

namespace SdApi.Spec.Tests.Support;

/// <summary>openapi.yaml and spec/ loaded once per test run: the NSwag document (what the generator reads),
/// the same file as typed JSON (to read x-sdapi-* extensions and example values), the edge-value table and the rule ids of spec/rules.md.</summary>
public static class SpecFiles
{
    private static readonly Lazy<OpenApiDocument> LazyDocument =
        new(() => OpenApiYamlDocument.FromFileAsync(RepoPaths.Spec).GetAwaiter().GetResult());

    private static readonly Lazy<JObject> LazyJson = new(() => (JObject)YamlJson.Load(RepoPaths.Spec));

    private static readonly Lazy<JObject> LazyEdges = new(() => ReadJson(Path.Combine(RepoPaths.SpecDir, "edge-values.json")));

    public static OpenApiDocument Document => LazyDocument.Value;

    /// <summary>openapi.yaml as JSON with typed scalars and every extension member (see <see cref="YamlJson"/>).</summary>
    public static JObject Json => LazyJson.Value;

    public static JObject EdgeValues => LazyEdges.Value;

    public static string RulesMarkdown => File.ReadAllText(Path.Combine(RepoPaths.SpecDir, "rules.md"));

    public static JObject ReadJson(string path)
    {
        using var reader = new JsonTextReader(File.OpenText(path)) { DateParseHandling = DateParseHandling.None };
        return JObject.Load(reader);
    }

    public static JToken ReadJsonToken(string path)
    {
        using var reader = new JsonTextReader(File.OpenText(path)) { DateParseHandling = DateParseHandling.None };
        return JToken.Load(reader);
    }

    /// <summary>(operationId, path, operation) for every operation of the spec.</summary>
    public static IEnumerable<(string Id, string Path, string Method, OpenApiOperation Operation)> Operations() =>
        from path in Document.Paths
        from op in path.Value
        select (op.Value.OperationId, path.Key, op.Key, op.Value);

    public static OpenApiOperation Operation(string operationId) =>
        Operations().Single(o => o.Id == operationId).Operation;

    /// <summary>Name of the components/schemas entry the operation's request body refers to.</summary>
    public static string RequestSchemaName(string operationId)
    {
        var op = Operations().Single(o => o.Id == operationId);
        var schemaRef = (string?)Json["paths"]![op.Path]![op.Method]!["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"];
        return schemaRef!.Split('/')[^1];
    }

    /// <summary>Every request schema name with its x-sdapi-rules items.</summary>
    public static IEnumerable<(string Schema, JObject Rule)> Rules() =>
        from schema in ((JObject)Json["components"]!["schemas"]!).Properties()
        let rules = schema.Value["x-sdapi-rules"] as JArray
        where rules is not null
        from rule in rules.Cast<JObject>()
        select (schema.Name, rule);

    public static JObject Rule(string id) => Rules().Single(r => (string?)r.Rule["id"] == id).Rule;

    public static IReadOnlyList<JObject> RulesOf(string schemaName) =>
        Rules().Where(r => r.Schema == schemaName).Select(r => r.Rule).ToList();

    public static JObject SchemaJson(string schemaName) => (JObject)Json["components"]!["schemas"]![schemaName]!;
}
