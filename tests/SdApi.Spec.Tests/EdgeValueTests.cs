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
                .Should().BeEmpty($"the base of {op.Name} passes every rule, warnings included");
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
        if (RuleEvaluator.IsWarning(rule))
        {
            // A warning never refuses: its "outside" rows are valid rows that expect the warning.
            var warned = rows.Where(r => Warned(r, ruleId)).ToList();
            warned.Should().NotBeEmpty("a row pins that the warning is given");
            rows.Where(r => (bool)r["valid"]! && !Warned(r, ruleId)).Should().NotBeEmpty("a row pins that the warning is not given inside");
            invalid = warned.Select(r => r["patch"]![field]).ToList();
            valid = rows.Where(r => (bool)r["valid"]! && !Warned(r, ruleId)).Select(r => r["patch"]![field]).ToList();
        }
        else
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
            case "list-pairs":
                var pairRows = rows.Select(r => (Valid: (bool)r["valid"]!, Body: Body(r))).Where(r => r.Body[(string)rule["with"]!] != null)
                    .Select(r => (r.Valid, Ids: Count(r.Body[(string)rule["with"]!]), Strengths: Count(r.Body[field]))).ToList();
                pairRows.Should().Contain(p => p.Valid && p.Ids > 1 && p.Strengths == 0, "no strength: every LoRA at the default");
                pairRows.Should().Contain(p => p.Valid && p.Ids > 1 && p.Strengths == 1, "one strength applies to each");
                pairRows.Should().Contain(p => p.Valid && p.Ids > 1 && p.Strengths == p.Ids, "one strength per id");
                pairRows.Should().Contain(p => !p.Valid && p.Strengths > 1 && p.Strengths < p.Ids, "fewer strengths (but more than one) than ids is refused");
                pairRows.Should().Contain(p => !p.Valid && p.Strengths > p.Ids, "more strengths than ids is refused");
                break;
            case "same-value":
                var with = (string)rule["with"]!;
                rows.Should().Contain(r => (bool)r["valid"]! && Body(r)[field] != null && Body(r)[with] != null, "both names with one value are accepted");
                rows.Should().Contain(r => !(bool)r["valid"]! && Body(r)[field] != null && Body(r)[with] != null, "both names with different values are refused");
                SpecFiles.Rules().Where(r => (string?)r.Rule["field"] == field && (string?)r.Rule["check"] == "range" && SpecFiles.RulesOf(SpecFiles.RequestSchemaName((string)rows[0]["operation"]!)).Contains(r.Rule))
                    .Select(r => (string)r.Rule["id"]!).Should().AllSatisfy(range =>
                        Rows.Should().Contain(r => (string?)r["rule"] == range && !(bool)r["valid"]! && (string?)r["field"] == with, $"the second name {with} is refused by {range} too"));
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
        var rules = SpecFiles.RulesOf(SpecFiles.RequestSchemaName((string)row["operation"]!));
        var body = Body(row);
        var failing = RuleEvaluator.Errors(rules, body);
        if ((bool)row["valid"]!)
        {
            failing.Select(r => (string?)r.Rule["id"]).Should().BeEmpty();
            row["field"]!.Type.Should().Be(JTokenType.Null);
        }
        else
        {
            failing.Select(r => (string?)r.Rule["id"]).Should().Contain((string)row["rule"]!);
            failing.Select(r => r.Field).Should().AllBe((string?)row["field"], "the row tests one field; no other field's rule fails");
            ((int?)row["x-sdapi-http-status"]).Should().BeOneOf(400, 401);
        }
        // Warnings are part of the verdict: the row lists exactly the warning rules the body breaks.
        var expected = (row["warnings"] as JArray)?.Values<string>().ToList() ?? [];
        RuleEvaluator.Warnings(rules, body).Should().BeEquivalentTo(expected, "row {0} lists its expected warnings", rowId);
    }

    [Fact]
    public void Every_warning_rule_is_expected_by_some_row_and_rows_name_only_warning_rules()
    {
        var warningRules = SpecFiles.Rules().Where(r => RuleEvaluator.IsWarning(r.Rule)).Select(r => (string)r.Rule["id"]!).ToHashSet();
        warningRules.Should().NotBeEmpty();
        var expected = Rows.SelectMany(r => (r["warnings"] as JArray)?.Values<string>() ?? []).ToHashSet();
        expected.Should().BeSubsetOf(warningRules);
        warningRules.Should().BeSubsetOf(expected);
    }

    [Fact]
    public void Most_rows_are_checked_by_the_schema_too()
    {
        var rows = Rows.ToList();
        rows.Count(r => (bool)r["schema"]!).Should().BeGreaterThan(rows.Count / 2);
    }

    private static bool Warned(JObject row, string ruleId) => (row["warnings"] as JArray)?.Values<string>().Contains(ruleId) == true;

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
