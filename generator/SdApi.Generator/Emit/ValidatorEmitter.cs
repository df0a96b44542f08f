using System.Collections.Generic;
using System.Linq;
using SdApi.Generator.Model;
using SdApi.Generator.Parsing;

namespace SdApi.Generator.Emit;

/// <summary>Validators: one <c>Validate()</c> per request model, one check per x-sdapi-rules item, every violation at once.</summary>
internal static class ValidatorEmitter
{
    private const string R = TypeMap.Validation + ".RuleChecks";

    /// <summary>One request model's Validate() (null for models that are not request bodies).</summary>
    public static GeneratedSource? EmitOne(ModelUnit unit)
        => unit.Model.IsRequest ? new GeneratedSource("Validators/" + unit.Model.Name + ".Validate.g.cs", EmitModel(unit.Model, unit.Options)) : null;

    private static string EmitModel(ModelSpec model, GeneratorOptions options)
    {
        var w = new CodeWriter().Header(options.ModelsNamespace);
        w.Open($"partial record {model.Name} : {TypeMap.Validation}.IValidatable");
        w.Doc("Checks every x-sdapi-rules rule of the spec (and values the reader could not convert) and returns all violations,\nkeyed by field, in the API's validation-error shape.");
        w.Open($"public {TypeMap.Validation}.ValidationResult Validate()");
        w.Line($"var errors = new {TypeMap.Validation}.ValidationBuilder();");
        w.Line("if (WireIssues is { } wireIssues) foreach (var issue in wireIssues) errors.Add(issue.Field, \"wire-type\", issue.Message);");
        var statics = new List<string>();
        foreach (var rule in model.Rules)
        {
            var p = model.Properties.First(x => x.JsonName == rule.Field);
            var condition = Condition(rule, p, model, statics);
            if (condition is null) continue;
            // One block per rule: pattern variables of two rules on the same field must not collide.
            w.Line($"{{ // {rule.Id}: {rule.Check}");
            w.Line($"    if ({condition}) errors.Add({Naming.Literal(rule.Field)}, {Naming.Literal(rule.Id)}, {Naming.Literal(rule.Message)});");
            w.Line("}");
        }
        w.Line("return errors.Build();");
        w.Close();
        if (statics.Count > 0) w.Line();
        foreach (var field in statics) w.Line(field);
        w.Close();
        return w.ToString();
    }

    /// <summary>The C# condition that is true when the rule is violated (rules skip absent fields, except required).</summary>
    private static string? Condition(RuleSpec rule, PropertySpec p, ModelSpec model, List<string> statics)
    {
        // Allowed values live in static fields so Validate() allocates nothing for them.
        string Static(string type, string init)
        {
            var name = "__Rule" + statics.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            statics.Add($"private static readonly {type} {name} = {init};");
            return name;
        }
        var v = p.CSharpName;
        var field = Naming.Literal(rule.Field);
        var numeric = p.Kind is PropertyKind.Integer or PropertyKind.Number;
        switch (rule.Check)
        {
            case "required":
                var present = p.Kind switch
                {
                    PropertyKind.String or PropertyKind.Image or PropertyKind.Message => $"!string.IsNullOrWhiteSpace({v})",
                    PropertyKind.Enum or PropertyKind.IntOrString => $"{v} is {{ }} __{v} && !string.IsNullOrWhiteSpace(__{v}.Value)",
                    _ when TypeMap.IsList(p.Kind) => $"{v} is {{ Count: > 0 }}",
                    _ => $"{v} is not null",
                };
                return $"!({present}) && !errors.Has({field})";
            case "range" when p.Kind == PropertyKind.NumberList:
            case "list-items-range":
                return $"{v} is {{ }} __{v} && !{R}.ItemsInRange(__{v}, {TypeMap.Number(rule.Min)}, {TypeMap.Number(rule.Max)})";
            case "range":
                return $"{v} is {{ }} __{v} && !{R}.InRange(__{v}, {TypeMap.Number(rule.Min)}, {TypeMap.Number(rule.Max)})";
            case "multiple-of":
                return $"{v} is {{ }} __{v} && !{R}.IsMultipleOf(__{v}, {TypeMap.Number(rule.Value)})";
            case "max-length":
                var text = p.Kind == PropertyKind.Enum ? $"__{v}.Value" : $"__{v}";
                if (TypeMap.IsList(p.Kind)) return $"{v} is {{ }} __{v} && __{v}.Count > {TypeMap.Number(rule.Value)}";
                if (p.Kind is not (PropertyKind.String or PropertyKind.Image or PropertyKind.Enum)) return null;
                return $"{v} is {{ }} __{v} && {text}.Length > {TypeMap.Number(rule.Value)}";
            case "one-of":
                var values = string.Join(", ", rule.Values.Select(Naming.Literal));
                var arg = p.Kind switch
                {
                    PropertyKind.Enum => $"__{v}.Value",
                    PropertyKind.YesNo => $"(__{v} ? \"yes\" : \"no\")",
                    PropertyKind.IdList or PropertyKind.NumberList => null,
                    _ when numeric => $"__{v}",
                    _ => $"__{v}",
                };
                if (arg is null) return $"{v} is {{ }} __{v} && !{R}.AllOneOf(__{v}, {Static("string[]", $"new[] {{ {values} }}")})";
                return numeric
                    ? $"{v} is {{ }} __{v} && !{R}.OneOfNumber(__{v}, {Static("double[]", $"new[] {{ {string.Join(", ", rule.Values.Select(TypeMap.Number))} }}")})"
                    : $"{v} is {{ }} __{v} && !{R}.OneOfText({arg}, {Static("string[]", $"new[] {{ {values} }}")})";
            case "url":
                var schemes = string.Join(", ", rule.Schemes.Select(Naming.Literal));
                var base64Flag = rule.OrBase64When is null ? "false" : Flag(model.Properties.First(x => x.JsonName == rule.OrBase64When));
                return $"{v} is {{ }} __{v} && !{R}.IsUrlOrBase64(__{v}, {Static("string[]", $"new[] {{ {schemes} }}")}, {base64Flag})";
            case "list-count-match":
                var other = model.Properties.First(x => x.JsonName == rule.With).CSharpName;
                return $"{v} is {{ }} __{v} && {other} is {{ }} __{other}Count && __{v}.Count != __{other}Count.Count";
            case "list-max-count":
                return $"{v} is {{ }} __{v} && __{v}.Count > {TypeMap.Number(rule.Value)}";
            default:
                return null;
        }
    }

    private static string Flag(PropertySpec p) => p.Kind switch
    {
        PropertyKind.YesNo or PropertyKind.Boolean => $"{p.CSharpName} == true",
        PropertyKind.String => $"string.Equals({p.CSharpName}, \"yes\", global::System.StringComparison.OrdinalIgnoreCase)",
        _ => "false",
    };
}
