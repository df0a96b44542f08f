using System.Globalization;
using System.Text.Json.Nodes;
using SdApi.Cli.Infrastructure;

namespace SdApi.Cli.Remote;

/// <summary>Turns option values (text, by wire name) into the JSON body of one operation, typed by the field's
/// x-sdapi-kind. Values that do not parse are sent as given: the generated reader records them and the generated
/// validator reports them, with the API's own messages.</summary>
internal static class RequestBodyBuilder
{
    public static JsonObject Build(string operationId, IReadOnlyDictionary<string, string> values, IReadOnlyList<GenerateField> fields)
    {
        var body = new JsonObject();
        var byName = fields.ToDictionary(f => f.WireName, StringComparer.Ordinal);
        foreach (var (name, text) in values)
        {
            if (!byName.TryGetValue(name, out var field) || !field.Operations.Contains(operationId))
                throw new CliException($"{OptionName(name)} is not a parameter of {operationId}", ExitCodes.BadInput);
            body[name] = Value(field, text, body, operationId, byName);
        }
        return body;
    }

    private static JsonNode? Value(GenerateField field, string text, JsonObject body, string operationId, Dictionary<string, GenerateField> fields)
    {
        switch (field.Kind)
        {
            case "integer" when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole):
                return JsonValue.Create(whole);
            case "number" or "number-list" when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number):
                return JsonValue.Create(number);
            case "image" when File.Exists(text):
                // A local file goes as base64, which the API accepts when the body says base64: yes.
                if (!fields.TryGetValue("base64", out var base64) || !base64.Operations.Contains(operationId))
                    throw new CliException($"{OptionName(field.WireName)}: {operationId} takes image URLs only, not a local file", ExitCodes.BadInput);
                body["base64"] = "yes";
                return Convert.ToBase64String(File.ReadAllBytes(text));
            default:
                return JsonValue.Create(text);
        }
    }

    private static string OptionName(string wireName) => "--" + wireName.Replace('_', '-');
}
