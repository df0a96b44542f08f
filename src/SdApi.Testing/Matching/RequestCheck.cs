using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using SdApi.Bindings;
using SdApi.Bindings.Json;
using SdApi.Bindings.Server;
using SdApi.Bindings.Validation;

namespace SdApi.Testing.Matching;

/// <summary>What the reference server's generated endpoint decides about a body, done the same way: the body read
/// tolerantly into the operation's request model, then the generated validator. A refusal is the server's answer.</summary>
internal sealed record RequestCheck(IJsonWritable? Request, OperationResult? Refusal)
{
    // WireMock scores every mapping against a request; the same body string reaches several matchers, so each body is
    // read and validated once per operation.
    private static readonly ConditionalWeakTable<string, Dictionary<string, RequestCheck>> Cache = [];

    public bool Accepted => Refusal is null;

    public static RequestCheck Of(SdApiOperation operation, string? body)
    {
        body ??= "";
        var perOperation = Cache.GetValue(body, static _ => new Dictionary<string, RequestCheck>(StringComparer.Ordinal));
        lock (perOperation)
        {
            if (!perOperation.TryGetValue(operation.OperationId, out var check))
                perOperation[operation.OperationId] = check = Run(operation, Encoding.UTF8.GetBytes(body));
            return check;
        }
    }

    private static RequestCheck Run(SdApiOperation operation, byte[] body)
    {
        IJsonWritable request;
        try
        {
            request = operation.ReadRequest(body);
        }
        catch (JsonException)
        {
            return new RequestCheck(null, OperationResult.MalformedJson());
        }
        var validation = request is IValidatable validatable ? validatable.Validate() : ValidationResult.Valid;
        return new RequestCheck(request, validation.IsValid ? null : OperationResult.Invalid(validation));
    }
}
