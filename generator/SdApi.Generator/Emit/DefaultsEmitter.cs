using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SdApi.Generator.Model;
using SdApi.Generator.Parsing;

namespace SdApi.Generator.Emit;

/// <summary>The spec's <c>default</c> values: per request model a <c>WithSpecDefaults()</c> that fills every absent field
/// the schema gives a default for, so a server (or a tool that shows effective parameters) never restates one.</summary>
internal static class DefaultsEmitter
{
    /// <summary>Whether <see cref="EmitOne"/> gives the model a <c>WithSpecDefaults()</c>.</summary>
    public static bool HasDefaults(ModelSpec model) => model.IsRequest && model.Properties.Any(p => Literal(p) is not null);

    /// <summary>One model's defaults; null when the model is no request or declares no default.</summary>
    public static GeneratedSource? EmitOne(ModelUnit unit)
    {
        var model = unit.Model;
        if (!model.IsRequest) return null;
        var filled = model.Properties.Select(p => (Property: p, Value: Literal(p))).Where(x => x.Value is not null).ToList();
        if (filled.Count == 0) return null;

        var w = new CodeWriter().Header(unit.Options.ModelsNamespace);
        w.Open($"public sealed partial record {model.Name}");
        w.Doc("This request with the spec's <c>default</c> in every field it leaves out (" +
              string.Join(", ", filled.Select(x => "<c>" + x.Property.JsonName + "</c>")) + ").\nFields the spec gives no default stay null: the API (or the engine) decides.");
        w.Line($"public {model.Name} WithSpecDefaults() => this with");
        w.Line("{");
        foreach (var (p, value) in filled)
            w.Line($"    {p.CSharpName} = {p.CSharpName} ?? {value},");
        w.Line("};");
        w.Close();
        return new GeneratedSource("Models/" + model.Name + ".Defaults.g.cs", w.ToString());
    }

    /// <summary>The default as a C# expression of the property's type, or null when there is none or the kind has no
    /// literal form (lists, objects).</summary>
    private static string? Literal(PropertySpec p)
    {
        var text = p.DefaultValue;
        if (text is null) return null;
        switch (p.Kind)
        {
            case PropertyKind.YesNo:
            case PropertyKind.Boolean:
                if (text.Equals("yes", System.StringComparison.OrdinalIgnoreCase) || text.Equals("true", System.StringComparison.OrdinalIgnoreCase)) return "true";
                if (text.Equals("no", System.StringComparison.OrdinalIgnoreCase) || text.Equals("false", System.StringComparison.OrdinalIgnoreCase)) return "false";
                return null;
            case PropertyKind.Integer:
                return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
                    ? n.ToString(CultureInfo.InvariantCulture) + (p.IsInt64 ? "L" : "") : null;
            case PropertyKind.Number:
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? TypeMap.Number(text) : null;
            case PropertyKind.String:
            case PropertyKind.Image:
                return Naming.Literal(text);
            case PropertyKind.Enum:
                return $"new {p.RefType}({Naming.Literal(text)})";
            default:
                return null;
        }
    }
}
