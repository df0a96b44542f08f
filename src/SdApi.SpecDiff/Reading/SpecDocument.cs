using System.Text.Json.Nodes;
using SdApi.Yaml;

namespace SdApi.SpecDiff.Reading;

/// <summary>One OpenAPI 3 document as a JSON tree, with local <c>$ref</c> resolution and its operations.</summary>
public sealed class SpecDocument
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

    private SpecDocument(JsonObject root, string displayName, string text)
    {
        Root = root;
        DisplayName = displayName;
        _text = text;
        Operations = ReadOperations(root);
    }

    private readonly string _text;

    public string DisplayName { get; }

    public JsonObject Root { get; }

    public IReadOnlyList<OperationSpec> Operations { get; }

    public static SpecDocument Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new SpecReadException($"{path}: cannot read the file ({ex.Message.ReplaceLineEndings(" ")})", ex);
        }
        return Parse(text, path);
    }

    public static SpecDocument Parse(string text, string displayName)
    {
        JsonNode? tree;
        try
        {
            tree = YamlJson.Parse(text, displayName);
        }
        catch (YamlReadException ex)
        {
            throw new SpecReadException(ex.Message, ex);
        }
        if (tree is null)
            throw new SpecReadException($"{displayName}: the file is empty.");
        if (tree is not JsonObject root)
            throw new SpecReadException($"{displayName}:1: not an OpenAPI document (the top level is not a mapping).");
        if (root["openapi"]?.ToString() is not { } version || !version.StartsWith('3'))
            throw new SpecReadException($"{displayName}:1: not an OpenAPI 3 document (no 'openapi: 3.x' line).");
        if (root["paths"] is not JsonObject)
            throw new SpecReadException($"{displayName}:1: the OpenAPI document has no 'paths' mapping.");
        var document = new SpecDocument(root, displayName, text);
        document.CheckReferences(root);
        document.CheckOperationIds();
        return document;
    }

    /// <summary>Follows <c>$ref</c> chains. Returns the target object and the name of the last component
    /// referenced (e.g. <c>V4Text2ImgRequest</c>), or the node itself and null when it is not a reference.</summary>
    public ResolvedNode Resolve(JsonNode? node)
    {
        string? name = null;
        for (var hops = 0; node is JsonObject obj && obj["$ref"] is JsonValue reference; hops++)
        {
            if (hops > 32)
                throw new SpecReadException($"{DisplayName}: $ref cycle at '{reference}'.");
            var target = reference.ToString();
            node = Pointer(target);
            name = target[(target.LastIndexOf('/') + 1)..];
        }
        return new ResolvedNode(node as JsonObject, name);
    }

    private JsonNode? Pointer(string reference)
    {
        if (!reference.StartsWith("#/", StringComparison.Ordinal))
            throw new SpecReadException($"{DisplayName}: only local references are supported, found '{reference}'.");
        JsonNode? node = Root;
        foreach (var raw in reference[2..].Split('/'))
        {
            var segment = Uri.UnescapeDataString(raw).Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            node = node switch
            {
                JsonObject obj when obj.TryGetPropertyValue(segment, out var child) => child,
                JsonArray array when int.TryParse(segment, out var index) && index >= 0 && index < array.Count => array[index],
                _ => throw new SpecReadException($"{DisplayName}: $ref '{reference}' points to nothing."),
            };
        }
        return node;
    }

    /// <summary>Two operations with one operationId make every by-id comparison meaningless: the input is invalid.</summary>
    private void CheckOperationIds()
    {
        foreach (var group in Operations.GroupBy(o => o.Id, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            var places = group.Select(o => $"{o.Method} {o.Path}");
            throw new SpecReadException($"{DisplayName}:{LineOf("operationId", group.Key, 2)}: duplicate operationId '{group.Key}' ({string.Join(" and ", places)}).");
        }
    }

    /// <summary>The 1-based line of the <paramref name="occurrence"/>-th "<paramref name="key"/>: value" in the text
    /// (the JSON tree has no positions; the text is searched instead), or of the first when there are fewer.</summary>
    private int LineOf(string key, string value, int occurrence = 1)
    {
        var lines = _text.Split('\n');
        var found = 0;
        var first = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim().TrimStart('-', ' ');
            if (!line.StartsWith(key, StringComparison.Ordinal) || !line.Contains(value, StringComparison.Ordinal)) continue;
            if (first == 0) first = i + 1;
            if (++found == occurrence) return i + 1;
        }
        return first;
    }

    private void CheckReferences(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["$ref"] is JsonValue reference)
                {
                    try
                    {
                        Pointer(reference.ToString());
                    }
                    catch (SpecReadException ex)
                    {
                        throw new SpecReadException($"{DisplayName}:{LineOf("$ref", reference.ToString())}: {ex.Message[(DisplayName.Length + 2)..]}", ex);
                    }
                }
                foreach (var (_, child) in obj)
                    CheckReferences(child);
                break;
            case JsonArray array:
                foreach (var child in array)
                    CheckReferences(child);
                break;
        }
    }

    private static List<OperationSpec> ReadOperations(JsonObject root)
    {
        var operations = new List<OperationSpec>();
        foreach (var (path, item) in root["paths"]!.AsObject())
        {
            if (item is not JsonObject pathItem)
                continue;
            foreach (var method in Methods)
            {
                if (pathItem[method] is not JsonObject operation)
                    continue;
                var id = operation["operationId"]?.ToString() ?? $"{method.ToUpperInvariant()} {path}";
                operations.Add(new OperationSpec(id, method.ToUpperInvariant(), path, operation, pathItem));
            }
        }
        return operations;
    }
}

/// <summary>An operation of the document, named by its operationId (or "METHOD /path" without one), with the path
/// item it sits in (for path-level parameters).</summary>
public sealed record OperationSpec(string Id, string Method, string Path, JsonObject Node, JsonObject PathItem);

/// <summary>The object a (possibly referenced) node stands for, and the component name when it came through a $ref.</summary>
public readonly record struct ResolvedNode(JsonObject? Node, string? ComponentName);
