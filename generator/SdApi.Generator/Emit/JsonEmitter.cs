using System.Collections.Generic;
using System.Linq;
using SdApi.Generator.Model;
using SdApi.Generator.Parsing;

namespace SdApi.Generator.Emit;

/// <summary>Reflection-free JSON for every model: a tolerant Utf8JsonReader loop and a Utf8JsonWriter that writes
/// the documented wire form. (The System.Text.Json source generator cannot see types another generator emits.)</summary>
internal static class JsonEmitter
{
    private const string W = TypeMap.Json + ".WireReader";
    private const string WW = TypeMap.Json + ".WireWriter";

    /// <summary>One model's reader and writer.</summary>
    public static GeneratedSource EmitOne(ModelUnit unit)
        => new("Json/" + unit.Model.Name + ".Json.g.cs", EmitModel(unit.Model, unit.Options));

    /// <summary>The outcome union's dispatching reader and the subset unions' readers.</summary>
    public static IEnumerable<GeneratedSource> EmitShared(ApiSpec spec, GeneratorOptions options)
    {
        if (spec.Outcome is { } outcome)
        {
            yield return new GeneratedSource("Json/" + outcome.Name + ".Json.g.cs", EmitOutcome(outcome, spec, options));
            foreach (var subset in spec.SubsetUnions)
                yield return new GeneratedSource("Json/" + subset.Name + ".Json.g.cs", EmitSubset(subset, outcome, options));
        }
    }

    private static string EmitModel(ModelSpec model, GeneratorOptions options)
    {
        var w = new CodeWriter().Header(options.ModelsNamespace, "System.Text.Json");
        var isCase = model.OutcomeBase is not null;
        w.Open($"partial record {model.Name} : {TypeMap.Json}.IJsonWritable");
        foreach (var p in model.Properties)
        {
            var written = p.WriteAlias ? p.Aliases[0] : p.JsonName;
            w.Line($"private static readonly JsonEncodedText __Name{p.CSharpName} = JsonEncodedText.Encode({Naming.Literal(written)});");
        }
        w.Line();
        EmitRead(w, model, isCase);
        w.Line();
        EmitWrite(w, model, isCase);
        w.Close();
        return w.ToString();
    }

    private static void EmitRead(CodeWriter w, ModelSpec model, bool isCase)
    {
        var @new = isCase ? "new " : "";
        w.Doc("Reads one JSON object, tolerating every documented wire quirk. The reader must be on the object's first token\n(or before it); it is left on the object's end.");
        w.Open($"public static {@new}{model.Name} ReadJson(ref Utf8JsonReader reader)");
        w.Line($"{W}.StartObject(ref reader);");
        var locals = new List<(PropertySpec P, string Local)>();
        var i = 0;
        foreach (var p in model.Properties)
        {
            var local = "v" + (i++).ToString(System.Globalization.CultureInfo.InvariantCulture);
            locals.Add((p, local));
            w.Line($"{TypeMap.Type(p)} {local} = default;");
            if (p.Kind == PropertyKind.Message)
                w.Line($"global::System.Collections.Generic.IReadOnlyDictionary<string, global::System.Collections.Generic.IReadOnlyList<string>>? {local}Fields = default;");
        }
        w.Line($"global::System.Collections.Generic.List<{TypeMap.Json}.WireIssue>? issues = null;");
        w.Line("global::System.Collections.Generic.Dictionary<string, JsonElement>? extra = null;");
        w.Open("while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)");
        w.Line($"var name = {W}.PropertyName(ref reader);");
        w.Line("reader.Read();");
        // Names are matched by UTF-8 length first, then bytes: a model like Meta has dozens of fields.
        var byLength = locals
            .SelectMany(l => new[] { l.P.JsonName }.Concat(l.P.Aliases).Select(n => (Name: n, l.P, l.Local)))
            .GroupBy(e => System.Text.Encoding.UTF8.GetByteCount(e.Name))
            .OrderBy(g => g.Key);
        if (locals.Count > 0)
        {
            w.Open("switch (name.Length)");
            foreach (var group in byLength)
            {
                w.Line($"case {group.Key}:");
                w.OpenBlock();
                foreach (var (name, p, local) in group)
                {
                    w.Open($"if (global::System.MemoryExtensions.SequenceEqual(name, {Naming.Literal(name)}u8))");
                    EmitReadValue(w, p, local);
                    w.Line("continue;");
                    w.Close();
                }
                w.Line("break;");
                w.Close();
            }
            w.Close();
        }
        w.Line("(extra ??= new global::System.Collections.Generic.Dictionary<string, JsonElement>(global::System.StringComparer.Ordinal))[global::System.Text.Encoding.UTF8.GetString(name)] = JsonElement.ParseValue(ref reader);");
        w.Close();
        w.Open($"return new {model.Name}");
        foreach (var (p, local) in locals)
        {
            // A required member the body lacks stays null here (Validate() reports it); the member type says callers set it.
            w.Line($"{p.CSharpName} = {local}{(TypeMap.NeedsNullForgiving(model, p) ? "!" : "")},");
            if (p.Kind == PropertyKind.Message)
                w.Line($"FieldErrors = {local}Fields,");
        }
        w.Line("AdditionalProperties = extra,");
        w.Line("WireIssues = issues,");
        w.Close(";");
        w.Close();
        w.Line();
        w.Doc("Reads a whole UTF-8 JSON document. Malformed JSON throws <see cref=\"JsonException\"/>; odd values do not.");
        w.Open($"public static {@new}{model.Name} FromJson(global::System.ReadOnlySpan<byte> utf8Json)");
        w.Line($"var reader = new Utf8JsonReader(utf8Json, {W}.Options);");
        w.Line("var value = ReadJson(ref reader);");
        w.Line($"{W}.EnsureEnd(ref reader);");
        w.Line("return value;");
        w.Close();
        w.Line();
        w.Line($"public static {@new}{model.Name} FromJson(string json) => FromJson(global::System.Text.Encoding.UTF8.GetBytes(json));");
    }

    private static void EmitReadValue(CodeWriter w, PropertySpec p, string local)
    {
        var field = Naming.Literal(p.JsonName);
        switch (p.Kind)
        {
            case PropertyKind.String:
            case PropertyKind.Image:
                w.Line($"{local} = {W}.ReadString(ref reader, {field}, ref issues);");
                break;
            case PropertyKind.Integer:
                w.Line($"{local} = {W}.{(p.IsInt64 ? "ReadInt64" : "ReadInt32")}(ref reader, {field}, ref issues);");
                break;
            case PropertyKind.Number:
                w.Line($"{local} = {W}.ReadDouble(ref reader, {field}, ref issues);");
                break;
            case PropertyKind.Boolean:
                w.Line($"{local} = {W}.ReadBoolean(ref reader, {field}, ref issues);");
                break;
            case PropertyKind.YesNo:
                w.Line($"{local} = {W}.ReadYesNo(ref reader, {field}, ref issues);");
                break;
            case PropertyKind.Enum:
                w.Line($"{local} = {W}.ReadString(ref reader, {field}, ref issues) is {{ }} {local}Text ? new {p.RefType}({local}Text) : ({p.RefType}?)null;");
                break;
            case PropertyKind.IdList:
                w.Line($"{local} = {W}.ReadIdList(ref reader, {field}, ref issues);");
                break;
            case PropertyKind.NumberList:
                w.Line($"{local} = {W}.ReadNumberList(ref reader, {field}, ref issues);");
                break;
            case PropertyKind.IntOrString:
                w.Line($"{local} = {W}.ReadId(ref reader, {field}, ref issues);");
                break;
            case PropertyKind.StringListOrEmpty:
                w.Line($"{local} = {W}.ReadStringListOrEmpty(ref reader, {field}, ref issues);");
                break;
            case PropertyKind.Message:
                w.Line($"{local} = {W}.ReadMessage(ref reader, {field}, ref issues, out {local}Fields);");
                break;
            case PropertyKind.Object:
                w.Line($"if (reader.TokenType == JsonTokenType.StartObject) {local} = {p.RefType}.ReadJson(ref reader);");
                w.Line($"else if (reader.TokenType != JsonTokenType.Null) {W}.Mismatch(ref reader, {field}, \"an object\", ref issues);");
                break;
            case PropertyKind.Array when p.ItemKind == PropertyKind.Object:
                w.Open("if (reader.TokenType == JsonTokenType.StartArray)");
                w.Line($"var {local}List = new global::System.Collections.Generic.List<{p.RefType}>();");
                w.Line($"while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) {local}List.Add({p.RefType}.ReadJson(ref reader));");
                w.Line($"{local} = {local}List;");
                w.Close();
                w.Line($"else if (reader.TokenType != JsonTokenType.Null) {W}.Mismatch(ref reader, {field}, \"an array\", ref issues);");
                break;
            case PropertyKind.Array when p.ItemKind == PropertyKind.String:
                w.Line($"{local} = {W}.ReadStringArray(ref reader, {field}, ref issues);");
                break;
            case PropertyKind.Array when p.ItemKind == PropertyKind.Number:
                w.Line($"{local} = {W}.ReadNumberArray(ref reader, {field}, ref issues);");
                break;
            case PropertyKind.Array:
                w.Line($"{local} = {W}.ReadElementArray(ref reader, {field}, ref issues);");
                break;
            default:
                w.Line($"{local} = JsonElement.ParseValue(ref reader);");
                break;
        }
    }

    private static void EmitWrite(CodeWriter w, ModelSpec model, bool isCase)
    {
        w.Doc("Writes the documented wire form: numbers as numbers, flags as \"yes\"/\"no\", lists as the API spells them.");
        w.Open($"public {(isCase ? "override " : "")}void WriteJson(Utf8JsonWriter writer)");
        w.Line("writer.WriteStartObject();");
        foreach (var p in model.Properties)
        {
            var n = "__Name" + p.CSharpName;
            var v = p.CSharpName;
            var isDiscriminator = isCase && p.Kind == PropertyKind.String && p.JsonName == "status";
            switch (p.Kind)
            {
                case PropertyKind.String when isDiscriminator:
                    w.Line($"writer.WriteString({n}, {v} ?? {Naming.Literal(model.OutcomeValue)});");
                    break;
                case PropertyKind.String:
                case PropertyKind.Image:
                    w.Line($"if ({v} is not null) writer.WriteString({n}, {v});");
                    break;
                case PropertyKind.Integer:
                case PropertyKind.Number:
                    w.Line($"if ({v} is {{ }} __{v}) writer.WriteNumber({n}, __{v});");
                    break;
                case PropertyKind.Boolean:
                    w.Line($"if ({v} is {{ }} __{v}) writer.WriteBoolean({n}, __{v});");
                    break;
                case PropertyKind.YesNo:
                    w.Line($"if ({v} is {{ }} __{v}) writer.WriteString({n}, __{v} ? \"yes\" : \"no\");");
                    break;
                case PropertyKind.Enum:
                    w.Line($"if ({v} is {{ }} __{v}) writer.WriteString({n}, __{v}.Value);");
                    break;
                case PropertyKind.IdList:
                    w.Line($"if ({v} is not null) {WW}.WriteIdList(writer, {n}, {v});");
                    break;
                case PropertyKind.NumberList:
                    w.Line($"if ({v} is not null) {WW}.WriteNumberList(writer, {n}, {v});");
                    break;
                case PropertyKind.IntOrString:
                    w.Line($"if ({v} is {{ }} __{v}) {WW}.WriteId(writer, {n}, __{v});");
                    break;
                case PropertyKind.StringListOrEmpty:
                    w.Line($"if ({v} is not null) {WW}.WriteStringListOrEmpty(writer, {n}, {v});");
                    break;
                case PropertyKind.Message:
                    w.Line($"{WW}.WriteMessage(writer, {n}, {v}, FieldErrors);");
                    break;
                case PropertyKind.Object:
                    w.Line($"if ({v} is not null) {{ writer.WritePropertyName({n}); {v}.WriteJson(writer); }}");
                    break;
                case PropertyKind.Array when p.ItemKind == PropertyKind.Object:
                    w.Line($"if ({v} is not null) {{ writer.WriteStartArray({n}); foreach (var item in {v}) item.WriteJson(writer); writer.WriteEndArray(); }}");
                    break;
                case PropertyKind.Array when p.ItemKind == PropertyKind.String:
                    w.Line($"if ({v} is not null) {{ writer.WriteStartArray({n}); foreach (var item in {v}) writer.WriteStringValue(item); writer.WriteEndArray(); }}");
                    break;
                case PropertyKind.Array when p.ItemKind == PropertyKind.Number:
                    w.Line($"if ({v} is not null) {{ writer.WriteStartArray({n}); foreach (var item in {v}) writer.WriteNumberValue(item); writer.WriteEndArray(); }}");
                    break;
                case PropertyKind.Array:
                    w.Line($"if ({v} is not null) {{ writer.WriteStartArray({n}); foreach (var item in {v}) item.WriteTo(writer); writer.WriteEndArray(); }}");
                    break;
                default:
                    w.Line($"if ({v} is {{ }} __{v}) {{ writer.WritePropertyName({n}); __{v}.WriteTo(writer); }}");
                    break;
            }
        }
        w.Line($"{WW}.WriteAdditional(writer, AdditionalProperties);");
        w.Line("writer.WriteEndObject();");
        w.Close();
        if (!isCase)
        {
            w.Line();
            w.Doc("The documented wire form as UTF-8 JSON.");
            w.Line($"public byte[] ToJsonUtf8() => {WW}.ToUtf8(this);");
            w.Line();
            w.Line($"public string ToJson() => global::System.Text.Encoding.UTF8.GetString(ToJsonUtf8());");
        }
    }

    private static string EmitOutcome(OutcomeSpec outcome, ApiSpec spec, GeneratorOptions options)
    {
        var w = new CodeWriter().Header(options.ModelsNamespace, "System.Text.Json");
        var fallback = spec.ErrorModel ?? outcome.Cases[0].Model;
        w.Open($"partial record {outcome.Name} : {TypeMap.Json}.IJsonWritable");
        w.Doc($"Reads an outcome, choosing the case by <c>{outcome.DiscriminatorJsonName}</c> (compared case-insensitively, wherever it is in the\nobject). A body without a known <c>{outcome.DiscriminatorJsonName}</c> reads as {fallback}.");
        w.Open($"public static {outcome.Name} ReadJson(ref Utf8JsonReader reader)");
        w.Line($"{W}.StartObject(ref reader);");
        w.Line($"var status = {W}.PeekString(reader, {Naming.Literal(outcome.DiscriminatorJsonName)}u8);");
        var first = true;
        foreach (var c in outcome.Cases)
        {
            w.Line($"{(first ? "" : "else ")}if (string.Equals(status, {Naming.Literal(c.Value)}, global::System.StringComparison.OrdinalIgnoreCase)) return {c.Model}.ReadJson(ref reader);");
            first = false;
        }
        w.Line($"return {fallback}.ReadJson(ref reader);");
        w.Close();
        w.Line();
        w.Open($"public static {outcome.Name} FromJson(global::System.ReadOnlySpan<byte> utf8Json)");
        w.Line($"var reader = new Utf8JsonReader(utf8Json, {W}.Options);");
        w.Line("var value = ReadJson(ref reader);");
        w.Line($"{W}.EnsureEnd(ref reader);");
        w.Line("return value;");
        w.Close();
        w.Line();
        w.Line($"public static {outcome.Name} FromJson(string json) => FromJson(global::System.Text.Encoding.UTF8.GetBytes(json));");
        w.Line();
        w.Line("public abstract void WriteJson(Utf8JsonWriter writer);");
        w.Line();
        w.Line($"public byte[] ToJsonUtf8() => {WW}.ToUtf8(this);");
        w.Line();
        w.Line("public string ToJson() => global::System.Text.Encoding.UTF8.GetString(ToJsonUtf8());");
        w.Close();
        return w.ToString();
    }

    private static string EmitSubset(OutcomeSpec subset, OutcomeSpec primary, GeneratorOptions options)
    {
        var w = new CodeWriter().Header(options.ModelsNamespace, "System.Text.Json");
        w.Doc($"<c>{subset.Name}</c>: the {primary.Name} cases {string.Join(", ", subset.Cases.Select(c => c.Model))}, read into <see cref=\"{primary.Name}\"/>\n(a model derives from one union only, so this union is a reader, not a type).");
        w.Open($"public static partial class {subset.Name}");
        w.Doc("The outcomes this union documents.");
        w.Line($"public static global::System.Collections.Generic.IReadOnlyList<{primary.Name}Kind> Kinds {{ get; }} = new[] {{ {string.Join(", ", subset.Cases.Select(c => primary.Name + "Kind." + Naming.Pascal(c.Value)))} }};");
        w.Line();
        w.Line($"public static {primary.Name} ReadJson(ref Utf8JsonReader reader) => {primary.Name}.ReadJson(ref reader);");
        w.Line();
        w.Line($"public static {primary.Name} FromJson(global::System.ReadOnlySpan<byte> utf8Json) => {primary.Name}.FromJson(utf8Json);");
        w.Line();
        w.Line($"public static {primary.Name} FromJson(string json) => {primary.Name}.FromJson(json);");
        w.Close();
        return w.ToString();
    }
}
