using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SdApi.Cli.Tests.Diff;

/// <summary>Small edits on openapi.yaml as a YAML tree, for deriving diff-case pairs from the real spec.
/// A path that no longer exists in the spec throws, naming the path, so a case never silently stops testing.</summary>
internal sealed class SpecEditor
{
    private readonly YamlStream _stream;

    private SpecEditor(YamlStream stream) => _stream = stream;

    public YamlMappingNode Root => (YamlMappingNode)_stream.Documents[0].RootNode;

    public static SpecEditor Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return new SpecEditor(stream);
    }

    public string Save()
    {
        using var writer = new StringWriter();
        _stream.Save(writer, assignAnchors: false);
        // YamlDotNet ends a saved document with the "..." marker; Specmatic and NSwag do not need it.
        return writer.ToString().TrimEnd().TrimEnd('.').TrimEnd() + "\n";
    }

    public YamlMappingNode Map(params string[] path)
    {
        var node = Root;
        foreach (var key in path)
            node = node.Children.TryGetValue(new YamlScalarNode(key), out var child) && child is YamlMappingNode map
                ? map
                : throw new InvalidOperationException($"openapi.yaml has no mapping at {string.Join("/", path)} (missing '{key}')");
        return node;
    }

    public YamlMappingNode Schema(string name) => Map("components", "schemas", name);

    public YamlMappingNode Property(string schema, string field) => Map("components", "schemas", schema, "properties", field);

    public YamlSequenceNode Rules(string schema) => Sequence(Schema(schema), "x-sdapi-rules");

    public YamlMappingNode Rule(string schema, string id) =>
        Rules(schema).Children.OfType<YamlMappingNode>().SingleOrDefault(r => Text(r, "id") == id)
        ?? throw new InvalidOperationException($"{schema} has no x-sdapi-rules entry '{id}'");

    /// <summary>The oneOf member of a field with the given wire type, or the field itself when it has no oneOf.</summary>
    public static YamlMappingNode Branch(YamlMappingNode field, string type)
    {
        if (!field.Children.ContainsKey(new YamlScalarNode("oneOf")))
            return Text(field, "type") == type ? field : throw new InvalidOperationException($"the field is not of type {type}");
        return Sequence(field, "oneOf").Children.OfType<YamlMappingNode>().SingleOrDefault(b => Text(b, "type") == type)
            ?? throw new InvalidOperationException($"the field has no oneOf branch of type {type}");
    }

    public static YamlSequenceNode Sequence(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlSequenceNode sequence
            ? sequence
            : throw new InvalidOperationException($"no sequence '{key}'");

    public static string? Text(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? (node as YamlScalarNode)?.Value : null;

    /// <summary>Sets a scalar; numbers and booleans plain, other text single-quoted like the spec writes 'yes'.</summary>
    public static void Set(YamlMappingNode map, string key, object value) => map.Children[new YamlScalarNode(key)] = Scalar(value);

    public static void Set(YamlMappingNode map, string key, YamlNode value) => map.Children[new YamlScalarNode(key)] = value;

    public static void Remove(YamlMappingNode map, string key)
    {
        if (!map.Children.Remove(new YamlScalarNode(key)))
            throw new InvalidOperationException($"nothing to remove at '{key}'");
    }

    public static void Add(YamlSequenceNode sequence, object value) => sequence.Children.Add(Scalar(value));

    public static void RemoveValue(YamlSequenceNode sequence, string value)
    {
        var item = sequence.Children.OfType<YamlScalarNode>().FirstOrDefault(s => s.Value == value)
            ?? throw new InvalidOperationException($"the list has no '{value}'");
        sequence.Children.Remove(item);
    }

    public static YamlScalarNode Scalar(object value) => value switch
    {
        int or long or double or decimal or bool => new YamlScalarNode(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!.ToLowerInvariant()) { Style = ScalarStyle.Plain },
        _ => new YamlScalarNode(value.ToString()) { Style = ScalarStyle.SingleQuoted },
    };

    /// <summary>A YAML mapping written inline, e.g. <c>{ type: string, x-sdapi-kind: string }</c>.</summary>
    public static YamlMappingNode Node(string flowMapping)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(flowMapping));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    /// <summary>OpenAPI 3.0.3 says `nullable` does not add null to an `enum`; Specmatic refuses such a spec, so both
    /// sides of every pair list null explicitly (a no-op once openapi.yaml does it itself).</summary>
    public void ListNullInNullableEnums() => ListNullInNullableEnums(Root);

    private static void ListNullInNullableEnums(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode map:
                if (Text(map, "nullable") == "true" && map.Children.TryGetValue(new YamlScalarNode("enum"), out var values)
                    && values is YamlSequenceNode list && !list.Children.OfType<YamlScalarNode>().Any(v => v.Value is "null" or "~" && v.Style is ScalarStyle.Plain or ScalarStyle.Any))
                    list.Children.Add(new YamlScalarNode("null") { Style = ScalarStyle.Plain });
                foreach (var child in map.Children.Values)
                    ListNullInNullableEnums(child);
                break;
            case YamlSequenceNode seq:
                foreach (var child in seq.Children)
                    ListNullInNullableEnums(child);
                break;
        }
    }

    /// <summary>Drops every `examples`/`example` entry. The pairs test schema changes; Specmatic would otherwise also
    /// validate ~60 inlined doc examples per file, which multiplies its run time and mixes example findings into its verdict.</summary>
    public void RemoveExamples() => RemoveExamples(Root);

    private static void RemoveExamples(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode map:
                // A `properties` mapping is never reached here (see below), so a field named "example" survives.
                map.Children.Remove(new YamlScalarNode("examples"));
                map.Children.Remove(new YamlScalarNode("example"));
                foreach (var (key, child) in map.Children)
                    if ((key as YamlScalarNode)?.Value != "properties")
                        RemoveExamples(child);
                    else if (child is YamlMappingNode fields)
                        foreach (var field in fields.Children.Values)
                            RemoveExamples(field);
                break;
            case YamlSequenceNode seq:
                foreach (var child in seq.Children)
                    RemoveExamples(child);
                break;
        }
    }

    public static YamlNode Clone(YamlNode node) => node switch
    {
        YamlMappingNode map => new YamlMappingNode(map.Children.Select(p => new KeyValuePair<YamlNode, YamlNode>(Clone(p.Key), Clone(p.Value)))) { Style = map.Style },
        YamlSequenceNode seq => new YamlSequenceNode(seq.Children.Select(Clone)) { Style = seq.Style },
        YamlScalarNode scalar => new YamlScalarNode(scalar.Value) { Style = scalar.Style },
        _ => throw new InvalidOperationException("aliases are not cloned"),
    };
}
