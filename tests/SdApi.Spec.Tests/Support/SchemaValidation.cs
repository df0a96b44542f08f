using Newtonsoft.Json.Linq;
using NJsonSchema;
using NJsonSchema.Validation;

namespace SdApi.Spec.Tests.Support;

/// <summary>Validates JSON against a components/schemas entry with NJsonSchema (the validator NSwag 13 brings),
/// reading OpenAPI 3.0 keywords such as <c>nullable</c>.</summary>
public static class SchemaValidation
{
    public static ICollection<ValidationError> Validate(string schemaName, JToken value)
    {
        var schema = SpecFiles.Document.Components.Schemas[schemaName];
        return schema.Validate(value.ToString(Newtonsoft.Json.Formatting.None), SchemaType.OpenApi3);
    }

    public static string Describe(IEnumerable<ValidationError> errors) =>
        string.Join("; ", errors.Select(e => e.ToString().Replace('\n', ' ')));

    /// <summary>True when some error (or nested error) is about the given top-level property.</summary>
    public static bool Names(IEnumerable<ValidationError> errors, string field) =>
        errors.Any(e => e.Property == field || (e.Path ?? "").StartsWith("#/" + field, StringComparison.Ordinal)
                        || (e is ChildSchemaValidationError child && child.Errors.Values.Any(v => Names(v, field))));
}
