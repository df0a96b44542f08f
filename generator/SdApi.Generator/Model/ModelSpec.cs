namespace SdApi.Generator.Model;

/// <summary>A schema from components/schemas turned into a C# model.</summary>
internal sealed record ModelSpec(
    string Name,
    string? Description,
    EquatableArray<PropertySpec> Properties,
    EquatableArray<RuleSpec> Rules,
    bool IsRequest,
    string? OutcomeBase,
    string? OutcomeValue);

/// <summary>A property and its <c>x-sdapi-kind</c>, which decides the C# type, the tolerant reader and the writer.
/// <see cref="DefaultValue"/> is the schema's <c>default</c> as written in the spec (invariant text), or null.</summary>
internal sealed record PropertySpec(
    string JsonName,
    string CSharpName,
    PropertyKind Kind,
    bool IsInt64,
    string? RefType,
    PropertyKind ItemKind,
    EquatableArray<string> Aliases,
    bool WriteAlias,
    string? Description,
    bool IsSecret,
    string? DefaultValue = null);

internal enum PropertyKind
{
    String,
    Integer,
    Number,
    Boolean,
    YesNo,
    Enum,
    IdList,
    NumberList,
    Image,
    Object,
    Array,
    IntOrString,
    StringListOrEmpty,
    Message,
    Any,
}
