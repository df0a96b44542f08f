using SdApi.Bindings;

namespace SdApi.Cli.Remote;

/// <summary>One request-body field of the generate operations, from the generated operations catalog, so `sdapi generate`
/// offers every API parameter as an option without reading or restating the spec.</summary>
internal sealed record GenerateField(string WireName, string Kind, string Description, IReadOnlyList<string> Operations)
{
    /// <summary>`num_inference_steps` -> `--num-inference-steps`.</summary>
    public string OptionName => "--" + WireName.Replace('_', '-');
}

internal static class GenerateFields
{
    private const string GenerateKind = "generate";

    private static IEnumerable<SdApiOperation> Generate => SdApiOperations.All.Where(o => o.Kind == GenerateKind);

    /// <summary>The operation ids whose x-sdapi-kind is `generate`, e.g. v6Text2Img.</summary>
    public static IReadOnlyList<string> GenerateOperations => [.. Generate.Select(o => o.OperationId)];

    /// <summary>Every body field of the generate operations, by wire name, in spec order.</summary>
    public static IReadOnlyList<GenerateField> ForGenerate()
    {
        var fields = new Dictionary<string, (string Kind, string Description, List<string> Operations)>(StringComparer.Ordinal);
        foreach (var operation in Generate)
            foreach (var field in operation.Fields)
            {
                if (!fields.TryGetValue(field.WireName, out var entry))
                    fields[field.WireName] = entry = (field.Kind, field.Description ?? field.WireName, []);
                entry.Operations.Add(operation.OperationId);
            }
        return [.. fields.Select(f => new GenerateField(f.Key, f.Value.Kind, f.Value.Description, f.Value.Operations))];
    }
}
