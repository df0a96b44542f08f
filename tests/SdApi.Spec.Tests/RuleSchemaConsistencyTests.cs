using Newtonsoft.Json.Linq;
using SdApi.Spec.Tests.Support;

namespace SdApi.Spec.Tests;

/// <summary>Where JSON Schema can say a rule (on the typed branch), the schema says exactly what the rule says, so
/// Prism/WireMock-style validators and the generated validators agree (spec/CONVENTIONS.md, "Fields"). A rule of
/// severity warning never refuses, so the schema must not say it (Prism and WireMock would refuse what the rule lets
/// through). A second wire name of a field (same-value rule) carries the first name's constraints.</summary>
public class RuleSchemaConsistencyTests
{
    public static TheoryData<string> RuleIds()
    {
        var data = new TheoryData<string>();
        foreach (var (_, rule) in SpecFiles.Rules()) data.Add((string)rule["id"]!);
        return data;
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Typed_branch_carries_the_rule(string ruleId)
    {
        var (schemaName, rule) = SpecFiles.Rules().Single(r => (string?)r.Rule["id"] == ruleId);
        var schema = SpecFiles.SchemaJson(schemaName);
        var field = (string)rule["field"]!;
        var property = (JObject)schema["properties"]![field]!;
        var typed = property["oneOf"] is JArray branches ? (JObject)branches[0] : property;
        if ((string?)rule["severity"] == "warning")
        {
            var others = SpecFiles.RulesOf(schemaName).Where(r => (string?)r["field"] == field && (string?)r["severity"] != "warning").ToList();
            switch ((string)rule["check"]!)
            {
                case "range" or "list-items-range":
                    if (rule["min"] != null) others.Select(r => (double?)r["min"]).Should().Contain((double?)typed["minimum"], "the schema minimum of {0} is an error rule's, not the warning's", field);
                    if (rule["max"] != null) others.Select(r => (double?)r["max"]).Should().Contain((double?)typed["maximum"], "the schema maximum of {0} is an error rule's, not the warning's", field);
                    break;
                case "multiple-of":
                    typed["multipleOf"].Should().BeNull("{0} warns only; the schema must not refuse it", ruleId);
                    break;
                case "one-of" when !others.Any(r => (string?)r["check"] == "one-of"):
                    (property["oneOf"] as JArray ?? [property]).Should().AllSatisfy(b => b["enum"].Should().BeNull("{0} warns only", ruleId));
                    break;
            }
            return;
        }
        switch ((string)rule["check"]!)
        {
            case "range":
            case "list-items-range":
                ((double?)typed["minimum"]).Should().Be((double?)rule["min"], "minimum of {0}", ruleId);
                ((double?)typed["maximum"]).Should().Be((double?)rule["max"], "maximum of {0}", ruleId);
                break;
            case "multiple-of":
                ((double?)typed["multipleOf"]).Should().Be((double?)rule["value"]);
                break;
            case "one-of":
                var allowed = (property["oneOf"] as JArray ?? [property]).SelectMany(b => b["enum"] ?? new JArray())
                    .Where(v => v.Type != JTokenType.Null) // a nullable enum lists null (OpenAPI 3.0.3); not a rule value
                    .Select(v => v.ToString().ToUpperInvariant()).ToHashSet();
                rule["values"]!.Select(v => v.ToString().ToUpperInvariant()).Should().BeSubsetOf(allowed);
                allowed.Should().BeSubsetOf(rule["values"]!.Select(v => v.ToString().ToUpperInvariant()), "the schema allows nothing the rule refuses");
                break;
            case "required":
                schema["required"]!.Values<string>().Should().Contain(field);
                break;
        }
    }

    [Fact]
    public void Every_schema_constraint_has_a_rule()
    {
        foreach (var schema in ((JObject)SpecFiles.Json["components"]!["schemas"]!).Properties().Where(p => p.Name.EndsWith("Request", StringComparison.Ordinal)))
        {
            var rules = (schema.Value["x-sdapi-rules"] as JArray ?? []).Cast<JObject>().ToList();
            var secondNames = rules.Where(r => (string?)r["check"] == "same-value").ToDictionary(r => (string)r["with"]!, r => (string)r["field"]!);
            foreach (var prop in ((JObject)schema.Value["properties"]!).Properties())
            {
                if (secondNames.TryGetValue(prop.Name, out var first))
                {
                    prop.Value.ToString().Should().Be(WithoutDocs(schema.Value["properties"]![first]!, prop.Value),
                        $"{schema.Name}.{prop.Name} is a second name of {first}: the same wire schema");
                    continue;
                }
                var kind = (string?)prop.Value["x-sdapi-kind"];
                var branches = prop.Value["oneOf"] as JArray ?? [prop.Value];
                var constrained = branches.Any(b => b["minimum"] != null || b["maximum"] != null || b["multipleOf"] != null || b["maxLength"] != null)
                                  || (kind == "enum" && branches.Any(b => b["enum"] != null));
                if (constrained)
                    rules.Should().Contain(r => (string?)r["field"] == prop.Name, $"{schema.Name}.{prop.Name} is constrained in the schema");
            }
            foreach (var required in schema.Value["required"]?.Values<string>() ?? [])
                rules.Should().Contain(r => (string?)r["field"] == required && (string?)r["check"] == "required", $"{schema.Name} requires {required}");
        }
    }

    /// <summary>The first name's wire schema with the second name's documentation members, to compare constraints only.</summary>
    private static string WithoutDocs(JToken first, JToken second)
    {
        var copy = (JObject)first.DeepClone();
        foreach (var member in new[] { "description", "x-source", "x-decision" })
        {
            copy.Remove(member);
            if (second[member] is { } value) copy[member] = value.DeepClone();
        }
        var ordered = new JObject();
        foreach (var p in ((JObject)second).Properties()) if (copy[p.Name] is { } v) ordered[p.Name] = v;
        foreach (var p in copy.Properties()) if (ordered[p.Name] is null) ordered[p.Name] = p.Value;
        return ordered.ToString();
    }
}
