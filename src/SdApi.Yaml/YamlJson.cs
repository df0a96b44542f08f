// YamlDotNet parses; this file only types the scalars. NSwag's own YAML path re-types every scalar (quoted "512" and
// "yes" become a number and a boolean, extension values become strings), so the spec is read here instead.
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SdApi.Yaml;

/// <summary>Reads YAML (or JSON) into a <see cref="JsonNode"/> tree, the one way every part of SdApi reads a spec:
/// plain scalars by the YAML 1.2 core schema (null, true/false, integers as <see cref="long"/>, decimals exactly as
/// <see cref="decimal"/>, a double only beyond decimal's range); quoted and block scalars stay strings (<c>'yes'</c>
/// is never a boolean); the core tags (<c>!!str</c>, <c>!!int</c>, <c>!!float</c>, <c>!!bool</c>, <c>!!null</c>)
/// decide over the text; a key twice in one mapping is an error naming its line.</summary>
public static partial class YamlJson
{
    private const string Tag = "tag:yaml.org,2002:";

    /// <summary>The first document of <paramref name="text"/>, or null when there is none.</summary>
    /// <param name="source">names the text in error messages (a file path).</param>
    public static JsonNode? Parse(string text, string source = "YAML")
    {
        ArgumentNullException.ThrowIfNull(text);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new YamlReadException($"{source}: not valid YAML at line {ex.Start.Line}, column {ex.Start.Column}: {OneLine(ex.Message)}", ex.Start.Line, ex.Start.Column, ex);
        }
        return stream.Documents.Count == 0 ? null : Convert(stream.Documents[0].RootNode, source);
    }

    public static JsonNode? Load(string path) => Parse(File.ReadAllText(path), path);

    private static JsonNode? Convert(YamlNode node, string source) => node switch
    {
        YamlMappingNode map => ConvertMapping(map, source),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(c => Convert(c, source)).ToArray()),
        YamlScalarNode scalar => ConvertScalar(scalar, source),
        _ => throw Error(source, node.Start, $"unsupported YAML node ({node.NodeType})"),
    };

    private static JsonObject ConvertMapping(YamlMappingNode map, string source)
    {
        var result = new JsonObject();
        foreach (var (key, value) in map.Children)
        {
            var name = (key as YamlScalarNode)?.Value ?? throw Error(source, key.Start, "a mapping key is not a scalar");
            if (result.ContainsKey(name))
                throw Error(source, key.Start, $"duplicate key '{name}'");
            result[name] = Convert(value, source);
        }
        return result;
    }

    private static JsonNode? ConvertScalar(YamlScalarNode scalar, string source)
    {
        var text = scalar.Value ?? "";
        var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
        switch (tag)
        {
            case Tag + "str":
                return JsonValue.Create(text);
            case Tag + "null":
                return null;
            case Tag + "bool":
                return Bool(text) is { } b ? JsonValue.Create(b) : throw Error(source, scalar.Start, $"'{text}' is not a !!bool");
            case Tag + "int" or Tag + "float":
                return Number(text) ?? throw Error(source, scalar.Start, $"'{text}' is not a number");
        }
        if (scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any))
            return JsonValue.Create(text);
        if (text is "" or "~" or "null" or "Null" or "NULL")
            return null;
        return Bool(text) is { } flag ? JsonValue.Create(flag) : Number(text) ?? JsonValue.Create(text);
    }

    private static bool? Bool(string text) => text switch
    {
        "true" or "True" or "TRUE" => true,
        "false" or "False" or "FALSE" => false,
        _ => null,
    };

    /// <summary>An integer as long, a decimal exactly (0.1 stays 0.1), a double only past decimal's range.</summary>
    private static JsonValue? Number(string text)
    {
        if (IntegerPattern().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
            return JsonValue.Create(whole);
        if (!DecimalPattern().IsMatch(text) && !IntegerPattern().IsMatch(text))
            return null;
        if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var exact))
            return JsonValue.Create(exact);
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var wide) && double.IsFinite(wide) ? JsonValue.Create(wide) : null;
    }

    private static YamlReadException Error(string source, Mark at, string problem) =>
        new($"{source}: {problem} at line {at.Line}, column {at.Column}.", at.Line, at.Column);

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex DecimalPattern();
}
