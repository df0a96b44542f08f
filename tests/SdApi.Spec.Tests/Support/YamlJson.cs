using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace SdApi.Spec.Tests.Support;

/// <summary>openapi.yaml through the one YAML reader (<see cref="SdApi.Yaml.YamlJson"/>), as the Newtonsoft tree the
/// NJsonSchema-based checks use. Dates stay strings, as the reader typed them.</summary>
public static class YamlJson
{
    public static JToken Load(string path)
    {
        var tree = SdApi.Yaml.YamlJson.Load(path) ?? throw new InvalidDataException($"{path} is empty.");
        using var reader = new JsonTextReader(new StringReader(tree.ToJsonString())) { DateParseHandling = DateParseHandling.None };
        return JToken.ReadFrom(reader);
    }
}
