namespace SdApi.Bindings.Server;

/// <summary>One operation call as the generated <c>SdApiKindHandler</c> hands it to a server: the operation, its
/// <c>x-sdapi-kind</c>, the typed request (a generated model: <see cref="Json.IJsonWritable"/> and
/// <see cref="Validation.IValidatable"/>), the request's <c>key</c> and the path parameters by name.</summary>
public sealed record SdApiCall(
    string OperationId,
    string Kind,
    object Request,
    string? Key,
    IReadOnlyDictionary<string, string> PathParameters)
{
    /// <summary>For operations without path parameters.</summary>
    public static IReadOnlyDictionary<string, string> NoPathParameters { get; } = new Dictionary<string, string>();

    /// <summary>The request's generated validation (every rule of its schema).</summary>
    public Validation.ValidationResult Validate() => ((Validation.IValidatable)Request).Validate();
}
