using System.Text.Json;
using System.Text.Json.Nodes;
using SdApi.Bindings;
using SdApi.Tests.Shared;

namespace SdApi.Generator.Tests.Infrastructure;

/// <summary>spec/edge-values.json: each row's body is bases[operation] with the patch merged in (null removes a field).</summary>
internal static class EdgeTable
{
    public sealed record Row(string Id, string Rule, string Operation, bool Valid, string? Field, byte[] Body, string Path, IReadOnlyList<string> Warnings)
    {
        public override string ToString() => Id;
    }

    private static readonly Lazy<IReadOnlyList<Row>> All = new(Load);

    public static IReadOnlyList<Row> Rows => All.Value;

    public static IEnumerable<object[]> RowIds() => Rows.Select(r => new object[] { r.Id });

    public static Row Get(string id) => Rows.First(r => r.Id == id);

    private static IReadOnlyList<Row> Load()
    {
        var doc = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.SpecDir, "edge-values.json")))!.AsObject();
        var bases = doc["bases"]!.AsObject();
        var pathParams = doc["pathParams"]?.AsObject();
        var rows = new List<Row>();
        foreach (var node in doc["rows"]!.AsArray())
        {
            var row = node!.AsObject();
            var operation = row["operation"]!.GetValue<string>();
            var body = bases[operation]!.DeepClone().AsObject();
            foreach (var (name, value) in row["patch"]!.AsObject())
            {
                if (value is null) body.Remove(name);
                else body[name] = value.DeepClone();
            }
            var path = SdApiOperations.FindById(operation)!.PathTemplate;
            if (pathParams?[operation] is JsonObject parameters)
                foreach (var (name, value) in parameters)
                    path = path.Replace("{" + name + "}", value!.GetValue<string>(), StringComparison.Ordinal);
            rows.Add(new Row(
                row["id"]!.GetValue<string>(),
                row["rule"]!.GetValue<string>(),
                operation,
                row["valid"]!.GetValue<bool>(),
                row["field"]?.GetValue<string>(),
                JsonSerializer.SerializeToUtf8Bytes(body, JsonNodeContext.Default.JsonObject),
                path,
                row["warnings"]?.AsArray().Select(w => w!.GetValue<string>()).ToList() ?? []));
        }
        return rows;
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(JsonObject))]
internal sealed partial class JsonNodeContext : System.Text.Json.Serialization.JsonSerializerContext;
