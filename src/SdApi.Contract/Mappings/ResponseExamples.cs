using System.Text.Json.Nodes;
using SdApi.Contract.Spec;

namespace SdApi.Contract.Mappings;

/// <summary>Picks the spec's response examples a stub answers with: by outcome (<c>status</c> field) for HTTP 200,
/// by HTTP status otherwise; the operation's own example first, then one from an operation of the same kind.</summary>
public sealed class ResponseExamples(ContractSpec spec)
{
    /// <summary>A 200 example whose <c>status</c> is <paramref name="outcome"/> (success, processing, error, failed).</summary>
    public JsonObject? Outcome(SpecOperation operation, string outcome) =>
        Candidates(operation, "200")
            .Select(e => e.Value as JsonObject)
            .FirstOrDefault(v => string.Equals(v?["status"]?.GetValue<string>(), outcome, StringComparison.OrdinalIgnoreCase))
            ?.DeepClone().AsObject();

    /// <summary>An example declared for HTTP <paramref name="httpStatus"/>.</summary>
    public JsonObject? ForStatus(SpecOperation operation, int httpStatus) =>
        Candidates(operation, httpStatus.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Select(e => e.Value as JsonObject)
            .FirstOrDefault(v => v is not null)
            ?.DeepClone().AsObject();

    /// <summary>An example for HTTP <paramref name="httpStatus"/> in the validation-error shape (message is an object of fields).</summary>
    public JsonObject? ValidationError(SpecOperation operation, int httpStatus) =>
        Candidates(operation, httpStatus.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Select(e => e.Value as JsonObject)
            .FirstOrDefault(v => (v?["message"] ?? v?["messege"]) is JsonObject)
            ?.DeepClone().AsObject();

    private IEnumerable<SpecExample> Candidates(SpecOperation operation, string httpStatus)
    {
        IEnumerable<SpecOperation> order = [operation,
            .. spec.Operations.Where(o => o != operation && o.Kind == operation.Kind),
            .. spec.Operations.Where(o => o.Kind != operation.Kind)];
        return order.SelectMany(o => o.Responses.GetValueOrDefault(httpStatus)?.Examples ?? []);
    }
}
