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
        // A same-value rule makes two wire names one field (num_inference_steps / steps): every other rule of the
        // first name also runs on the second, keyed by the name the caller sent.
        var aliases = model.Rules.Where(r => r.Check == "same-value").ToDictionary(r => r.Field, r => r.With!);
        foreach (var rule in model.Rules)
        {
            var fields = new List<string> { rule.Field };
            if (rule.Check is not ("same-value" or "required") && aliases.TryGetValue(rule.Field, out var alias)) fields.Add(alias);
            foreach (var name in fields)
            {
                var p = model.Properties.First(x => x.JsonName == name);
                var condition = Condition(rule, p, model, statics);
                if (condition is null) continue;
                // One block per rule: pattern variables of two rules on the same field must not collide.
                var add = rule.IsWarning ? "Warn" : "Add";
                w.Line($"{{ // {rule.Id}: {rule.Check}{(rule.IsWarning ? " (warning)" : "")}");
                w.Line($"    if ({condition}) errors.{add}({Naming.Literal(name)}, {Naming.Literal(rule.Id)}, {Naming.Literal(rule.Message)});");
                w.Line("}");
            }
        }
        w.Line("return errors.Build();");
        w.Close();
        foreach (var rule in model.Rules.Where(r => r.Check == "same-value"))
        {
            var first = model.Properties.First(x => x.JsonName == rule.Field);
            var second = model.Properties.First(x => x.JsonName == rule.With);
            w.Line();
            w.Doc($"The one value of <c>{rule.Field}</c> and <c>{rule.With}</c> (two wire names of one field, rule {rule.Id}): the first\nwhen given, else the second. Validate() refuses a request where both are given and differ.");
            w.Line($"public {TypeMap.Type(first)} {Naming.Property(rule.Effective!)} => {first.CSharpName} ?? {second.CSharpName};");
        }
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
            case "list-pairs":
                // One value applies to every item of the other list; otherwise one value per item, in order.
                var items = model.Properties.First(x => x.JsonName == rule.With).CSharpName;
                return $"{v} is {{ Count: > 1 }} __{v} && {items} is {{ }} __{items}Count && __{v}.Count != __{items}Count.Count";
            case "same-value":
                var second = model.Properties.First(x => x.JsonName == rule.With).CSharpName;
                return $"{v} is {{ }} __{v} && {second} is {{ }} __{second} && !Equals(__{v}, __{second})";
            case "absent":
                return TypeMap.IsList(p.Kind) ? $"{v} is {{ Count: > 0 }}" : $"{v} is not null";
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
