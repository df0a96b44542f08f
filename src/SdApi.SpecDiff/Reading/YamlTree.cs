using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SdApi.SpecDiff.Reading;

/// <summary>Turns a YAML (or JSON) text into a <see cref="JsonNode"/> tree. Plain scalars follow the YAML 1.2 core
/// schema (null, true/false, integers, decimals); quoted scalars stay strings, so `'yes'` is never a boolean.</summary>
internal static partial class YamlTree
{
    public static JsonNode? Parse(string text, string displayName)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new SpecReadException($"{displayName}: not valid YAML at line {ex.Start.Line}, column {ex.Start.Column}: {OneLine(ex.Message)}", ex);
        }
        if (stream.Documents.Count == 0)
            throw new SpecReadException($"{displayName}: the file is empty.");
        return Convert(stream.Documents[0].RootNode, displayName);
    }

    private static JsonNode? Convert(YamlNode node, string displayName) => node switch
    {
        YamlMappingNode map => ConvertMapping(map, displayName),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(c => Convert(c, displayName)).ToArray()),
        YamlScalarNode scalar => ConvertScalar(scalar),
        _ => throw new SpecReadException($"{displayName}: unsupported YAML node at line {node.Start.Line}."),
    };

    private static JsonObject ConvertMapping(YamlMappingNode map, string displayName)
    {
        var result = new JsonObject();
        foreach (var (key, value) in map.Children)
        {
            var name = (key as YamlScalarNode)?.Value
                ?? throw new SpecReadException($"{displayName}: a mapping key at line {key.Start.Line} is not a plain value.");
            if (result.ContainsKey(name))
                throw new SpecReadException($"{displayName}: duplicate key '{name}' at line {key.Start.Line}.");
            result[name] = Convert(value, displayName);
        }
        return result;
    }

    private static JsonNode? ConvertScalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any))
            return JsonValue.Create(text);
        if (text is "" or "~" or "null" or "Null" or "NULL")
            return null;
        if (text is "true" or "True" or "TRUE")
            return JsonValue.Create(true);
        if (text is "false" or "False" or "FALSE")
            return JsonValue.Create(false);
        if (IntegerPattern().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
            return JsonValue.Create(whole);
        if (DecimalPattern().IsMatch(text) && decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var fraction))
            return JsonValue.Create(fraction);
        return JsonValue.Create(text);
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex DecimalPattern();
}
