using System.Text.Json;
using System.Text.Json.Nodes;
using SdApi.SpecDiff.Model;

namespace SdApi.Cli.Tests.Diff;

/// <summary>DiffCases/&lt;case&gt;/expected.json: the pinned verdict and the changes as "severity kind location" lines.</summary>
internal sealed record ExpectedVerdict(string What, bool Breaking, IReadOnlyList<string> Changes)
{
    public static ExpectedVerdict Load(string path)
    {
        var root = JsonNode.Parse(File.ReadAllText(path))!;
        return new ExpectedVerdict(
            root["what"]!.GetValue<string>(),
            root["breaking"]!.GetValue<bool>(),
            [.. root["changes"]!.AsArray().Select(c => c!.GetValue<string>())]);
    }

    public static ExpectedVerdict From(DiffCase diffCase, DiffReport report) =>
        new(diffCase.What, report.IsBreaking, [.. report.Changes.Select(Line)]);

    public static string Line(SpecChange change) =>
        $"{(change.Severity == ChangeSeverity.Breaking ? "breaking" : "safe")} {change.Kind} {change.Location}";

    public void Save(string path)
    {
        var root = new JsonObject
        {
            ["what"] = What,
            ["breaking"] = Breaking,
            ["changes"] = new JsonArray([.. Changes.Select(c => (JsonNode)JsonValue.Create(c))]),
        };
        File.WriteAllText(path, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }
}
