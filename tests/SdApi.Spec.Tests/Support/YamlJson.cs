// Small YAML -> JSON reader: NSwag's YAML loader (via YamlDotNet's object deserializer) turns example and extension
// scalars into strings ("min": "1", "id": "13443927") and drops extensions on example objects, so the tests read
// openapi.yaml themselves, typing plain scalars by the YAML 1.2 core schema.
using System.Globalization;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SdApi.Spec.Tests.Support;

public static partial class YamlJson
{
    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex Integer();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();

    public static JToken Load(string path)
    {
        var stream = new YamlStream();
        using (var reader = File.OpenText(path))
            stream.Load(reader);
        return Convert(stream.Documents[0].RootNode);
    }

    private static JToken Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => new JObject(map.Children.Select(kv => new JProperty(((YamlScalarNode)kv.Key).Value!, Convert(kv.Value)))),
        YamlSequenceNode seq => new JArray(seq.Children.Select(Convert)),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new InvalidOperationException($"Unsupported YAML node {node.NodeType} at {node.Start}"),
    };

    private static JToken Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any))
            return new JValue(text);
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL": return JValue.CreateNull();
            case "true" or "True" or "TRUE": return new JValue(true);
            case "false" or "False" or "FALSE": return new JValue(false);
        }
        if (Integer().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
            return new JValue(l);
        if (Float().IsMatch(text))
            return new JValue(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
        return new JValue(text);
    }
}
