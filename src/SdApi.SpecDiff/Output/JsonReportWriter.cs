using System.Text.Json;
using System.Text.Json.Nodes;
using SdApi.SpecDiff.Model;

namespace SdApi.SpecDiff.Output;

/// <summary>`sdapi diff --format json`: the verdict, counts and every change with its stable kind and location.</summary>
public static class JsonReportWriter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string Write(DiffReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var changes = new JsonArray();
        foreach (var change in report.Changes)
        {
            changes.Add(new JsonObject
            {
                ["severity"] = change.Severity == ChangeSeverity.Breaking ? "breaking" : "safe",
                ["kind"] = change.Kind,
                ["location"] = change.Location,
                ["operations"] = new JsonArray([.. change.Operations.Select(o => (JsonNode)JsonValue.Create(o))]),
                ["affects"] = new JsonArray([.. change.Affects.Select(a => (JsonNode)JsonValue.Create(a))]),
                ["old"] = change.Old,
                ["new"] = change.New,
                ["message"] = change.Message,
            });
        }
        var root = new JsonObject
        {
            ["old"] = report.OldSpec,
            ["new"] = report.NewSpec,
            ["breaking"] = report.IsBreaking,
            ["breakingCount"] = report.Breaking.Count(),
            ["safeCount"] = report.Safe.Count(),
            ["changes"] = changes,
        };
        return root.ToJsonString(Indented);
    }
}
