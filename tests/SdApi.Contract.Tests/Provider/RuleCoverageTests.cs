using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SdApi.Contract.Tests.Harness;
using SdApi.Tests.Shared;

namespace SdApi.Contract.Tests.Provider;

/// <summary>Every rule of spec/rules.md (and of the spec's x-sdapi-rules) has edge rows on both sides of its boundary.
/// Every row runs on the client side (ClientOperationTests: the generated validator refuses it naming the field before
/// sending, or it reaches WireMock and matches) and on the server side (VerifyCliTests: `sdapi verify --table-status`
/// against the reference server; PrismProviderTests: through Prism), so every rule is pinned on each side.</summary>
public sealed partial class RuleCoverageTests
{
    public static TheoryData<string> RuleIds()
    {
        var ids = new SortedSet<string>(StringComparer.Ordinal);
        foreach (Match match in RuleRow().Matches(File.ReadAllText(Path.Combine(RepoPaths.SpecDir, "rules.md"))))
            ids.Add(match.Groups[1].Value);
        foreach (var (_, schema) in SpecFiles.Spec.Schemas)
            foreach (var rule in schema?["x-sdapi-rules"] as JsonArray ?? [])
                ids.Add(rule!["id"]!.GetValue<string>());
        var data = new TheoryData<string>();
        foreach (var id in ids) data.Add(id);
        return data;
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Rule_has_a_valid_and_an_invalid_edge_row(string ruleId)
    {
        var rows = SpecFiles.Edges.Rows.Where(r => r.Rule == ruleId).ToList();
        rows.Should().Contain(r => r.Valid, "a row just inside the boundary pins that the rule does not over-reject");
        var warningRule = SpecFiles.Spec.Schemas.SelectMany(s => s.Value?["x-sdapi-rules"] as JsonArray ?? [])
            .Any(r => r!["id"]!.GetValue<string>() == ruleId && r["severity"]?.GetValue<string>() == "warning");
        if (warningRule)
        {
            // A warning never refuses (spec/CONVENTIONS.md, "Severity"): the outside row is a valid row expecting the warning.
            rows.Should().Contain(r => r.Valid && r.Warnings != null && r.Warnings.Contains(ruleId), "a row just outside pins the warning");
            return;
        }
        rows.Should().Contain(r => !r.Valid && r.Field != null, "a row just outside the boundary pins the rejection and its field");
    }

    [GeneratedRegex(@"^\| `([a-z0-9-]+)` \|", RegexOptions.Multiline)]
    private static partial Regex RuleRow();
}
