using System.Text.Json.Nodes;

namespace SdApi.Contract.Spec;

/// <summary>spec/edge-values.json: a minimal valid body per operation and the rows that probe each rule's boundaries.</summary>
public sealed class EdgeTable
{
    private EdgeTable(IReadOnlyDictionary<string, JsonObject> bases, IReadOnlyList<EdgeRow> rows)
    {
        Bases = bases;
        Rows = rows;
    }

    public IReadOnlyDictionary<string, JsonObject> Bases { get; }

    public IReadOnlyList<EdgeRow> Rows { get; }

    public static EdgeTable Load(string path) => Parse(File.ReadAllText(path));

    public static EdgeTable LoadEmbedded() => Parse(EmbeddedSpecFiles.Read("edge-values.json"));

    public static EdgeTable Parse(string json)
    {
        var root = JsonNode.Parse(json) as JsonObject ?? throw new InvalidDataException("edge-values.json is not an object.");
        var bases = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var (operation, body) in root["bases"] as JsonObject ?? [])
            if (body is JsonObject b) bases[operation] = b;
        var rows = new List<EdgeRow>();
        foreach (var node in root["rows"] as JsonArray ?? [])
        {
            if (node is not JsonObject row) continue;
            rows.Add(new EdgeRow(
                row["id"]!.GetValue<string>(),
                row["rule"]?.GetValue<string>() ?? "",
                row["operation"]!.GetValue<string>(),
                row["patch"] as JsonObject ?? [],
                row["valid"]?.GetValue<bool>() ?? false,
                row["field"]?.GetValue<string>(),
                row["note"]?.GetValue<string>(),
                row["x-sdapi-http-status"]?.GetValue<int>(),
                row["schema"]?.GetValue<bool>() ?? false,
                (row["warnings"] as JsonArray)?.Select(w => w!.GetValue<string>()).ToList()));
        }
        return new EdgeTable(bases, rows);
    }

    /// <summary>The base body of the row's operation with the row's patch merged in (null removes a field).</summary>
    public JsonObject Body(EdgeRow row)
    {
        if (!Bases.TryGetValue(row.Operation, out var template))
            throw new KeyNotFoundException($"edge-values.json has no base for '{row.Operation}' (row {row.Id}).");
        var body = (JsonObject)template.DeepClone();
        foreach (var (name, value) in row.Patch)
        {
            if (value is null) body.Remove(name);
            else body[name] = value.DeepClone();
        }
        return body;
    }
}

/// <summary>One edge-value row: <see cref="Valid"/> says whether the patched body must be accepted; when not,
/// <see cref="Field"/> is the field the error must name, <see cref="HttpStatus"/> the status the reference server
/// answers with, and <see cref="Schema"/> whether the JSON Schema alone (Prism, WireMock) already rejects the body.
/// <see cref="Warnings"/> lists the ids of the warning rules the body breaks (it stays valid).</summary>
public sealed record EdgeRow(string Id, string Rule, string Operation, JsonObject Patch, bool Valid, string? Field,
    string? Note, int? HttpStatus, bool Schema, IReadOnlyList<string>? Warnings = null)
{
    public override string ToString() => Id;
}
