using SdApi.Bindings.Validation;

namespace SdApi.Bindings;

/// <summary>One operation of openapi.yaml as the generated <c>SdApiOperations</c> catalog lists it: id, tag, kind,
/// path template, a reader of the request body (tolerant, as the server reads it) and a validator over a JSON body.</summary>
public sealed record SdApiOperation(
    string OperationId,
    string Tag,
    string Kind,
    string PathTemplate,
    Func<ReadOnlyMemory<byte>, Json.IJsonWritable> ReadRequest,
    Func<ReadOnlyMemory<byte>, ValidationResult> ValidateJson)
{
    /// <summary>The API key of a request read by <see cref="ReadRequest"/> (null when it has none).</summary>
    public Func<Json.IJsonWritable, string?> ApiKey { get; init; } = static _ => null;

    /// <summary>Request fields that carry an image (a URL, or base64 text when <c>base64: yes</c>).</summary>
    public IReadOnlyList<string> ImageFields { get; init; } = [];

    /// <summary>The request body's fields, in spec order.</summary>
    public IReadOnlyList<SdApiField> Fields { get; init; } = [];

    /// <summary>Whether <paramref name="path"/> matches the template (<c>{id}</c> matches one non-empty segment).</summary>
    public bool Matches(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var query = path.IndexOfAny(['?', '#']);
        if (query >= 0) path = path[..query];
        var actual = path.Trim('/').Split('/');
        var template = PathTemplate.Trim('/').Split('/');
        if (actual.Length != template.Length) return false;
        for (var i = 0; i < actual.Length; i++)
        {
            var t = template[i];
            if (t.StartsWith('{') && t.EndsWith('}')) { if (actual[i].Length == 0) return false; }
            else if (!string.Equals(t, actual[i], StringComparison.OrdinalIgnoreCase)) return false;
        }
        return true;
    }

    public static SdApiOperation? FindByPath(IEnumerable<SdApiOperation> operations, string path)
    {
        ArgumentNullException.ThrowIfNull(operations);
        // Literal templates win over templated ones when both match.
        return operations.Where(o => o.Matches(path)).OrderBy(o => o.PathTemplate.Contains('{', StringComparison.Ordinal)).FirstOrDefault();
    }

    public static SdApiOperation? FindById(IEnumerable<SdApiOperation> operations, string operationId)
        => operations.FirstOrDefault(o => string.Equals(o.OperationId, operationId, StringComparison.OrdinalIgnoreCase));
}
