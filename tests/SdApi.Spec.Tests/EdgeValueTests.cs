using Newtonsoft.Json.Linq;
using SdApi.Spec.Tests.Support;

namespace SdApi.Spec.Tests;

/// <summary>spec/edge-values.json: every rule id is pinned on both sides of each boundary and every row's verdict follows
/// from the rule parameters. That rows marked <c>schema: true</c> get the same verdict from JSON Schema alone is checked
/// by the agreement matrix (tests/SdApi.Contract.Tests/Matrix: Prism reads openapi.yaml and may differ from the other
/// sides only on rows marked <c>schema: false</c>), which runs every row once per side.</summary>
public class EdgeValueTests
{
    private static IEnumerable<JObject> Rows => SpecFiles.EdgeValues["rows"]!.Cast<JObject>();

    private static JObject Row(string id) => Rows.Single(r => (string?)r["id"] == id);

    /// <summary>bases[operation] with the patch applied (null removes a member).</summary>
    private static JObject Body(JObject row)
    {
        var body = (JObject)SpecFiles.EdgeValues["bases"]![(string)row["operation"]!]!.DeepClone();
        foreach (var p in ((JObject)row["patch"]!).Properties())
        {
            if (p.Value.Type == JTokenType.Null) body.Remove(p.Name);
            else body[p.Name] = p.Value.DeepClone();
        }
        return body;
    }

    public static TheoryData<string> RowIds()
    {
        var data = new TheoryData<string>();
        foreach (var row in Rows) data.Add((string)row["id"]!);
        return data;
    }

    public static TheoryData<string> RuleIds()
    {
        var data = new TheoryData<string>();
        foreach (var (_, rule) in SpecFiles.Rules()) data.Add((string)rule["id"]!);
        return data;
    }

    [Fact]
    public void Row_ids_are_unique_and_name_known_rules_and_operations()
    {
        Rows.Select(r => (string?)r["id"]).Should().OnlyHaveUniqueItems();
        var ruleIds = SpecFiles.Rules().Select(r => (string)r.Rule["id"]!).ToHashSet();
        var operations = SpecFiles.Operations().Select(o => o.Id).ToHashSet();
        foreach (var row in Rows)
        {
            ruleIds.Should().Contain((string)row["rule"]!);
            operations.Should().Contain((string)row["operation"]!);
        }
    }

    [Fact]
    public void Every_base_body_is_valid_for_its_operation()
    {
        foreach (var op in ((JObject)SpecFiles.EdgeValues["bases"]!).Properties())
        {
            var schema = SpecFiles.RequestSchemaName(op.Name);
            var errors = SchemaValidation.Validate(schema, op.Value);
            errors.Should().BeEmpty($"{op.Name}: {SchemaValidation.Describe(errors)}");
            SpecFiles.RulesOf(schema).Where(r => !RuleEvaluator.Passes(r, (JObject)op.Value)).Select(r => (string?)r["id"])
                .Should().BeEmpty($"the base of {op.Name} passes every rule");
        }
        SpecFiles.Operations().Select(o => o.Id).Should().BeSubsetOf(((JObject)SpecFiles.EdgeValues["bases"]!).Properties().Select(p => p.Name));
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Rule_has_rows_on_both_sides_of_each_boundary(string ruleId)
    {
        var rule = SpecFiles.Rule(ruleId);
        var rows = Rows.Where(r => (string?)r["rule"] == ruleId).ToList();
        var field = (string)rule["field"]!;
        var valid = rows.Where(r => (bool)r["valid"]!).Select(r => r["patch"]![field]).ToList();
        var invalid = rows.Where(r => !(bool)r["valid"]!).Select(r => r["patch"]![field]).ToList();
        valid.Should().NotBeEmpty();
        invalid.Should().NotBeEmpty();

        switch ((string)rule["check"]!)
        {
            case "range":
            case "list-items-range":
                var step = IsIntegerField(ruleId, field) ? 8.0 : 0.011;
                if (rule["min"] is { } min)
                {
                    var m = (double)min;
                    Numbers(valid).Should().Contain(m, "the minimum itself is accepted");
                    Numbers(invalid).Should().Contain(v => v < m && v >= m - step, "a value just below the minimum is refused");
                }
                if (rule["max"] is { } max)
                {
                    var m = (double)max;
                    Numbers(valid).Should().Contain(m, "the maximum itself is accepted");
                    Numbers(invalid).Should().Contain(v => v > m && v <= m + step, "a value just above the maximum is refused");
                }
                break;
            case "required":
                invalid.Should().Contain(v => v != null && v.Type == JTokenType.Null, "a row removes the field");
                break;
            case "list-count-match":
                var pairs = rows.Select(r => (Valid: (bool)r["valid"]!, Body: Body(r))).Where(r => r.Body[(string)rule["with"]!] != null)
                    .Select(r => (r.Valid, Diff: Count(r.Body[field]) - Count(r.Body[(string)rule["with"]!]))).ToList();
                pairs.Should().Contain((true, 0));
                pairs.Should().Contain(p => !p.Valid && p.Diff < 0, "fewer strengths than ids is refused");
                pairs.Should().Contain(p => !p.Valid && p.Diff > 0, "more strengths than ids is refused");
                break;
        }
    }

    [Theory]
    [MemberData(nameof(RowIds))]
    public void Row_verdict_follows_from_the_rules(string rowId)
    {
        var row = Row(rowId);
        var schema = SpecFiles.RequestSchemaName((string)row["operation"]!);
        var body = Body(row);
        var failing = SpecFiles.RulesOf(schema).Where(r => !RuleEvaluator.Passes(r, body)).ToList();
        if ((bool)row["valid"]!)
        {
            failing.Select(r => (string?)r["id"]).Should().BeEmpty();
            row["field"]!.Type.Should().Be(JTokenType.Null);
        }
        else
        {
            failing.Select(r => (string?)r["id"]).Should().Contain((string)row["rule"]!);
            failing.Select(r => (string?)r["field"]).Should().AllBe((string?)row["field"], "the row tests one field; no other field's rule fails");
            ((int?)row["x-sdapi-http-status"]).Should().BeOneOf(400, 401);
        }
    }

    [Fact]
    public void Most_rows_are_checked_by_the_schema_too()
    {
        var rows = Rows.ToList();
        rows.Count(r => (bool)r["schema"]!).Should().BeGreaterThan(rows.Count / 2);
    }

    private static bool IsIntegerField(string ruleId, string field)
    {
        var schema = SpecFiles.Rules().Single(r => (string?)r.Rule["id"] == ruleId).Schema;
        return (string?)SpecFiles.SchemaJson(schema)["properties"]![field]!["x-sdapi-kind"] == "integer";
    }

    /// <summary>Numbers in the patched values; a comma-separated string contributes each item.</summary>
    private static List<double> Numbers(IEnumerable<JToken?> values) =>
        values.Where(v => v != null).SelectMany(v => v!.Type == JTokenType.String ? ((string)v!).Split(',') : [v.ToString()])
            .Select(s => RuleEvaluator.Number(new JValue(s.Trim()))).Where(n => n.HasValue).Select(n => n!.Value).ToList();

    private static int Count(JToken? value) =>
        value is null || value.Type == JTokenType.Null ? 0
        : value.Type == JTokenType.String ? ((string)value!).Split(',', StringSplitOptions.RemoveEmptyEntries).Length : 1;
}
