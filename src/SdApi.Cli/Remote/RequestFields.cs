using System.Text.Json.Nodes;
using SdApi.SpecDiff.Reading;

namespace SdApi.Cli.Remote;

/// <summary>One request-body field of a generate operation, read from the openapi.yaml embedded in sdapi, so
/// `sdapi generate` offers every API parameter as an option without restating the spec.</summary>
internal sealed record RequestField(string WireName, string Kind, string Description, IReadOnlyList<string> Operations)
{
    /// <summary>`num_inference_steps` -> `--num-inference-steps`.</summary>
    public string OptionName => "--" + WireName.Replace('_', '-');
}

internal static class RequestFields
{
    private static readonly Lazy<SpecDocument> Spec = new(LoadEmbeddedSpec);

    /// <summary>The operation ids whose x-sdapi-kind is `generate`, e.g. v6Text2Img.</summary>
    public static IReadOnlyList<string> GenerateOperations =>
        [.. Spec.Value.Operations.Where(o => NodeText(o.Node["x-sdapi-kind"]) == "generate").Select(o => o.Id)];

    /// <summary>Every body field of the generate operations, by wire name, in spec order.</summary>
    public static IReadOnlyList<RequestField> ForGenerate()
    {
        var spec = Spec.Value;
        var fields = new Dictionary<string, (string Kind, string Description, List<string> Operations)>(StringComparer.Ordinal);
        foreach (var operation in spec.Operations.Where(o => NodeText(o.Node["x-sdapi-kind"]) == "generate"))
        {
            var body = spec.Resolve(operation.Node["requestBody"]).Node;
            var schema = spec.Resolve(body?["content"]?["application/json"]?["schema"]).Node;
            foreach (var (name, property) in schema?["properties"] as JsonObject ?? [])
            {
                var resolved = spec.Resolve(property).Node;
                if (!fields.TryGetValue(name, out var field))
                    fields[name] = field = (NodeText(resolved?["x-sdapi-kind"]) ?? "string", NodeText(resolved?["description"]) ?? name, []);
                field.Operations.Add(operation.Id);
            }
        }
        return [.. fields.Select(f => new RequestField(f.Key, f.Value.Kind, f.Value.Description, f.Value.Operations))];
    }

    private static SpecDocument LoadEmbeddedSpec()
    {
        using var stream = typeof(RequestFields).Assembly.GetManifestResourceStream("openapi.yaml")
            ?? throw new InvalidOperationException("sdapi was built without its embedded openapi.yaml.");
        using var reader = new StreamReader(stream);
        return SpecDocument.Parse(reader.ReadToEnd(), "openapi.yaml (embedded)");
    }

    private static string? NodeText(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
