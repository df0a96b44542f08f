using System.Linq;
using System.Globalization;
using SdApi.Generator.Model;

namespace SdApi.Generator.Emit;

/// <summary>The C# type of each x-sdapi-kind (spec/CONVENTIONS.md, "Fields").</summary>
internal static class TypeMap
{
    public const string Json = "global::SdApi.Bindings.Json";
    public const string Validation = "global::SdApi.Bindings.Validation";

    public static string Type(PropertySpec p) => p.Kind switch
    {
        PropertyKind.String or PropertyKind.Image => "string?",
        PropertyKind.Integer => p.IsInt64 ? "long?" : "int?",
        PropertyKind.Number => "double?",
        PropertyKind.Boolean or PropertyKind.YesNo => "bool?",
        PropertyKind.Enum => p.RefType + "?",
        PropertyKind.IdList or PropertyKind.StringListOrEmpty => "global::System.Collections.Generic.IReadOnlyList<string>?",
        PropertyKind.NumberList => "global::System.Collections.Generic.IReadOnlyList<double>?",
        PropertyKind.Object => p.RefType + "?",
        PropertyKind.Array => "global::System.Collections.Generic.IReadOnlyList<" + ItemType(p) + ">?",
        PropertyKind.IntOrString => Json + ".ApiId?",
        PropertyKind.Message => "string?",
        _ => "global::System.Text.Json.JsonElement?",
    };

    /// <summary>Whether callers must set the property when building the model: the spec lists it as required (a
    /// <c>required</c> rule). The secret <c>key</c> is the exception: the client fills it from its options.</summary>
    public static bool IsRequiredMember(ModelSpec model, PropertySpec p)
        => !p.IsSecret && p.Kind != PropertyKind.Message && model.Rules.Any(r => r.Check == "required" && r.Field == p.JsonName);

    /// <summary>The member's declared type: <see cref="Type"/>, without <c>?</c> for a required text member (a reader that
    /// meets a body without it still stores null, which <c>Validate()</c> reports as the required violation).</summary>
    public static string MemberType(ModelSpec model, PropertySpec p)
        => IsRequiredMember(model, p) && p.Kind is PropertyKind.String or PropertyKind.Image ? Type(p).TrimEnd('?') : Type(p);

    /// <summary>Whether the reader's nullable local needs <c>!</c> when assigned to the member.</summary>
    public static bool NeedsNullForgiving(ModelSpec model, PropertySpec p) => MemberType(model, p) != Type(p);

    public static string ItemType(PropertySpec p) => p.ItemKind switch
    {
        PropertyKind.Object => p.RefType!,
        PropertyKind.String => "string",
        PropertyKind.Number => "double",
        _ => "global::System.Text.Json.JsonElement",
    };

    public static bool IsList(PropertyKind k) => k is PropertyKind.IdList or PropertyKind.NumberList or PropertyKind.StringListOrEmpty or PropertyKind.Array;

    public static string Number(string? text)
    {
        if (text is null) return "null";
        var d = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        return d.ToString("R", CultureInfo.InvariantCulture) + "d";
    }

    /// <summary>The property name a model exposes for a message field (always Message, whatever the wire spelling).</summary>
    public static string MessageName(PropertySpec p) => p.Kind == PropertyKind.Message ? "Message" : p.CSharpName;
}
