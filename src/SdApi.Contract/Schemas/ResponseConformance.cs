using System.Collections.Concurrent;
using NJsonSchema;
using NJsonSchema.Validation;
using SdApi.Contract.Spec;

namespace SdApi.Contract.Schemas;

/// <summary>Checks a response body against the schema openapi.yaml declares for the operation and HTTP status
/// (NJsonSchema over the derived draft-7 schema).</summary>
public sealed class ResponseConformance(ContractSpec spec)
{
    private readonly SchemaDerivation _derivation = new(spec);
    private readonly ConcurrentDictionary<string, JsonSchema?> _cache = new(StringComparer.Ordinal);

    /// <summary>Violations, each "path: problem"; empty when the body conforms.</summary>
    public IReadOnlyList<string> Check(SpecOperation operation, int httpStatus, string body)
    {
        var response = operation.ResponseFor(httpStatus);
        if (response is null)
            return [$"HTTP {httpStatus} is not a declared response of {operation.OperationId}"];
        var schema = _cache.GetOrAdd(operation.OperationId + "/" + response.HttpStatus, _ =>
            response.Schema is null ? null : JsonSchema.FromJsonAsync(_derivation.Derive(response.Schema).ToJsonString()).GetAwaiter().GetResult());
        if (schema is null)
            return [];
        ICollection<ValidationError> errors;
        try
        {
            errors = schema.Validate(body);
        }
        catch (Newtonsoft.Json.JsonException ex)
        {
            return [$"$: body is not JSON ({ex.Message})"];
        }
        return errors.SelectMany(Flatten).Distinct(StringComparer.Ordinal).ToList();
    }

    private static IEnumerable<string> Flatten(ValidationError error)
    {
        var path = string.IsNullOrEmpty(error.Path) ? "#" : error.Path;
        yield return $"{path}: {error.Kind}";
        if (error is ChildSchemaValidationError child)
            foreach (var branch in child.Errors.Values)
                foreach (var inner in branch.SelectMany(Flatten))
                    yield return "  " + inner;
    }
}
