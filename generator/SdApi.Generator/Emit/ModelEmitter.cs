using System.Collections.Generic;
using System.Linq;
using SdApi.Generator.Model;
using SdApi.Generator.Parsing;

namespace SdApi.Generator.Emit;

/// <summary>Models: one sealed record per schema, string-backed enums, and the closed outcome union.</summary>
internal static class ModelEmitter
{
    /// <summary>One model's record (a pipeline step per model, so a schema edit re-emits only that model).</summary>
    public static GeneratedSource EmitOne(ModelUnit unit)
        => new("Models/" + unit.Model.Name + ".g.cs", EmitModel(unit.Model, unit.UsedBy, unit.Options));

    /// <summary>What several models share: the string-backed enums and the outcome union.</summary>
    public static IEnumerable<GeneratedSource> EmitShared(ApiSpec spec, GeneratorOptions options)
    {
        foreach (var e in spec.Enums)
            yield return new GeneratedSource("Models/" + e.Name + ".g.cs", EmitEnum(e, options));
        if (spec.Outcome is { } outcome)
            yield return new GeneratedSource("Models/" + outcome.Name + ".g.cs", EmitOutcome(outcome, options));
    }

    private static string EmitModel(ModelSpec model, EquatableArray<string> usedBy, GeneratorOptions options)
    {
        var w = new CodeWriter().Header(options.ModelsNamespace);
        w.Doc(model.Description is not null ? CodeWriter.Escape(model.Description) : (model.IsRequest ? $"The request body of {string.Join(", ", usedBy)}." : null));
        var baseType = model.OutcomeBase is null ? "" : " : " + model.OutcomeBase;
        w.Open($"public sealed partial record {model.Name}{baseType}");
        if (model.OutcomeBase is not null)
        {
            w.Doc($"Which outcome this is (<c>{model.OutcomeValue}</c>).");
            w.Line($"public override {model.OutcomeBase}Kind Kind => {model.OutcomeBase}Kind.{Naming.Pascal(model.OutcomeValue!)};");
            w.Line();
        }
        foreach (var p in model.Properties)
        {
            var doc = p.Description is null ? null : CodeWriter.Escape(p.Description);
            var wire = p.Aliases.Count > 0 ? $"Wire name <c>{p.JsonName}</c> (also {string.Join(", ", p.Aliases.Select(a => "<c>" + a + "</c>"))})." : $"Wire name <c>{p.JsonName}</c>.";
            w.Doc(string.IsNullOrWhiteSpace(doc) ? wire : doc!.Trim() + "\n" + wire);
            if (p.Kind == PropertyKind.Message)
            {
                w.Line($"public string? {p.CSharpName} {{ get; init; }}");
                w.Line();
                w.Doc($"Per-field messages when <c>{p.JsonName}</c> is an object (the API's validation-error shape).");
                w.Line($"public global::System.Collections.Generic.IReadOnlyDictionary<string, global::System.Collections.Generic.IReadOnlyList<string>>? FieldErrors {{ get; init; }}");
            }
            else
            {
                var required = TypeMap.IsRequiredMember(model, p) ? "required " : "";
                w.Line($"public {required}{TypeMap.MemberType(model, p)} {p.CSharpName} {{ get; init; }}");
            }
            w.Line();
        }
        w.Doc("Fields the reader did not know, kept as read so a round trip loses nothing (validation ignores them).");
        w.Line("public global::System.Collections.Generic.IReadOnlyDictionary<string, global::System.Text.Json.JsonElement>? AdditionalProperties { get; init; }");
        w.Line();
        w.Doc("Values the tolerant reader could not convert (e.g. <c>\"width\": \"abc\"</c>); the validator reports them per field.");
        w.Line($"public global::System.Collections.Generic.IReadOnlyList<{TypeMap.Json}.WireIssue>? WireIssues {{ get; init; }}");
        if (model.Properties.Any(p => p.IsSecret))
        {
            w.Line();
            w.Line("// Secret fields (the API key) never appear in ToString, logs or exception messages.");
            w.Open((model.OutcomeBase is null ? "private" : "protected override") + " bool PrintMembers(global::System.Text.StringBuilder builder)");
            var first = true;
            foreach (var p in model.Properties)
            {
                var sep = first ? "" : ", ";
                first = false;
                if (p.IsSecret)
                    w.Line($"builder.Append(\"{sep}{p.CSharpName} = \").Append({p.CSharpName} is null ? \"\" : \"***\");");
                else
                    w.Line($"builder.Append(\"{sep}{p.CSharpName} = \").Append({p.CSharpName});");
            }
            w.Line("return true;");
            w.Close();
        }
        w.Close();
        return w.ToString();
    }

    private static string EmitEnum(EnumSpec e, GeneratorOptions options)
    {
        var w = new CodeWriter().Header(options.ModelsNamespace);
        w.Doc($"The documented values of <c>{e.Name}</c>. Any other string is kept as read (the API adds values over time).");
        w.Open($"public readonly partial record struct {e.Name}(string Value)");
        var names = new HashSet<string>();
        var members = new List<string>();
        foreach (var v in e.Values)
        {
            var name = Naming.Pascal(v);
            for (var i = 2; !names.Add(name); i++) name = Naming.Pascal(v) + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            members.Add(name);
            w.Line($"public static {e.Name} {name} {{ get; }} = new({Naming.Literal(v)});");
        }
        w.Line();
        w.Doc("Every documented value, in spec order.");
        w.Line($"public static global::System.Collections.Generic.IReadOnlyList<{e.Name}> KnownValues {{ get; }} = new[] {{ {string.Join(", ", members)} }};");
        w.Line();
        w.Doc("Whether the value is one of the documented ones (compared case-insensitively, like the API).");
        w.Line("public bool IsKnown { get { foreach (var known in KnownValues) if (string.Equals(known.Value, Value, global::System.StringComparison.OrdinalIgnoreCase)) return true; return false; } }");
        w.Line();
        w.Line("public override string ToString() => Value ?? \"\";");
        w.Line();
        w.Line($"public static implicit operator {e.Name}(string value) => new(value);");
        w.Close();
        return w.ToString();
    }

    private static string EmitOutcome(OutcomeSpec outcome, GeneratorOptions options)
    {
        var w = new CodeWriter().Header(options.ModelsNamespace);
        w.Doc($"The values of <c>{outcome.DiscriminatorJsonName}</c> that select an outcome.");
        w.Open($"public enum {outcome.Name}Kind");
        foreach (var c in outcome.Cases)
            w.Line($"{Naming.Pascal(c.Value)},");
        w.Close();
        w.Line();
        w.Doc($"What the API answered: one of {string.Join(", ", outcome.Cases.Select(c => c.Model))}. A closed set (no other\nsubclasses can exist): switch on the type or <see cref=\"Kind\"/>, or call <see cref=\"Match\"/>.");
        w.Open($"public abstract partial record {outcome.Name} : global::SdApi.Bindings.Http.ISdApiOutcome");
        w.Line($"private protected {outcome.Name}() {{ }}");
        w.Line();
        w.Line("string global::SdApi.Bindings.Http.ISdApiOutcome.OutcomeStatus => Kind switch");
        w.Line("{");
        foreach (var c in outcome.Cases)
            w.Line($"    {outcome.Name}Kind.{Naming.Pascal(c.Value)} => {Naming.Literal(c.Value)},");
        w.Line("    _ => Kind.ToString(),");
        w.Line("};");
        w.Line();
        w.Doc($"Which outcome this is (from <c>{outcome.DiscriminatorJsonName}</c>).");
        w.Line($"public abstract {outcome.Name}Kind Kind {{ get; }}");
        w.Line();
        w.Doc("Whether the job is finished (every outcome but processing).");
        var processing = outcome.Cases.FirstOrDefault(c => c.Value == "processing");
        w.Line(processing is null ? "public bool IsTerminal => true;" : $"public bool IsTerminal => Kind != {outcome.Name}Kind.{Naming.Pascal(processing.Value)};");
        w.Line();
        w.Doc("Calls the function for this outcome; the compiler makes the caller handle every case.");
        var parameters = outcome.Cases.Select(c => $"global::System.Func<{c.Model}, TResult> {Naming.Camel(Naming.Pascal(c.Value))}").ToList();
        w.Line($"public TResult Match<TResult>({string.Join(", ", parameters)})");
        w.Line("    => this switch");
        w.Line("    {");
        foreach (var c in outcome.Cases)
            w.Line($"        {c.Model} value => {Naming.Camel(Naming.Pascal(c.Value))}(value),");
        w.Line("        _ => throw new global::System.InvalidOperationException(\"Unknown outcome \" + GetType().Name),");
        w.Line("    };");
        w.Close();
        return w.ToString();
    }
}
