using System.Text.Json.Nodes;

namespace SdApi.Contract.Spec;

/// <summary>One operation of openapi.yaml as the contract tooling needs it (all operations are JSON POSTs).</summary>
/// <param name="OperationId">e.g. <c>v4Text2Img</c>.</param>
/// <param name="Path">the path template, e.g. <c>/api/v4/dreambooth/fetch/{id}</c>.</param>
/// <param name="Kind"><c>x-sdapi-kind</c>: generate, fetch or model-reload.</param>
/// <param name="RequestSchema">the request body schema as written (usually a <c>$ref</c>).</param>
/// <param name="RequestExamples">the request examples the pages show.</param>
/// <param name="Responses">HTTP status (e.g. "200", "429") to its response.</param>
/// <param name="PathParameters">path parameter name to an example value.</param>
public sealed record SpecOperation(
    string OperationId,
    string Method,
    string Path,
    string Kind,
    string? Tag,
    JsonNode? RequestSchema,
    IReadOnlyList<SpecExample> RequestExamples,
    IReadOnlyDictionary<string, SpecResponse> Responses,
    IReadOnlyDictionary<string, string> PathParameters)
{
    /// <summary>The path with every template parameter replaced by its example value (or <paramref name="fallback"/>).</summary>
    public string ConcretePath(string fallback = "1")
    {
        var path = Path;
        foreach (var name in TemplateParameters())
            path = path.Replace("{" + name + "}", Uri.EscapeDataString(PathParameters.GetValueOrDefault(name) ?? fallback), StringComparison.Ordinal);
        return path;
    }

    /// <summary>Names of the <c>{...}</c> segments of <see cref="Path"/>.</summary>
    public IEnumerable<string> TemplateParameters() =>
        System.Text.RegularExpressions.Regex.Matches(Path, @"\{([^}/]+)\}").Select(m => m.Groups[1].Value);

    /// <summary>The response declared for <paramref name="httpStatus"/>, else <c>default</c>, else null.</summary>
    public SpecResponse? ResponseFor(int httpStatus) =>
        Responses.GetValueOrDefault(httpStatus.ToString(System.Globalization.CultureInfo.InvariantCulture))
        ?? Responses.GetValueOrDefault($"{httpStatus / 100}XX")
        ?? Responses.GetValueOrDefault("default");
}

/// <summary>A named example; <paramref name="Value"/> is the JSON the page shows.</summary>
public sealed record SpecExample(string Name, JsonNode? Value, string? File);

/// <summary>One declared response: its JSON schema (may be null when it has no body) and examples.</summary>
public sealed record SpecResponse(string HttpStatus, JsonNode? Schema, IReadOnlyList<SpecExample> Examples);
