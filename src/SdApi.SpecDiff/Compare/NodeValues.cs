using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SdApi.SpecDiff.Compare;

/// <summary>Small readers for values inside the spec tree.</summary>
internal static class NodeValues
{
    public static decimal? Number(JsonNode? node)
    {
        if (node is not JsonValue value)
            return null;
        if (value.TryGetValue<long>(out var whole))
            return whole;
        if (value.TryGetValue<decimal>(out var fraction))
            return fraction;
        if (value.TryGetValue<double>(out var real))
            return (decimal)real;
        return value.TryGetValue<string>(out var text)
            && decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
    }

    public static bool Flag(JsonNode? node) => node is JsonValue value && value.TryGetValue<bool>(out var flag) && flag;

    public static string? Text(JsonNode? node) => node switch
    {
        null => null,
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        _ => Show(node),
    };

    /// <summary>A compact, stable rendering for messages and JSON output.</summary>
    public static string Show(JsonNode? node) => node switch
    {
        null => "null",
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonValue value when Number(value) is { } number => number.ToString(CultureInfo.InvariantCulture),
        _ => node.ToJsonString(new JsonSerializerOptions { WriteIndented = false }),
    };

    public static string Show(decimal? number) => number?.ToString(CultureInfo.InvariantCulture) ?? "none";

    public static IReadOnlyList<JsonNode?> Items(JsonNode? node) => node is JsonArray array ? [.. array] : [];

    /// <summary>Equality for enum values: numbers numerically, everything else by its text (exact).</summary>
    public static bool SameValue(JsonNode? a, JsonNode? b, bool ignoreCase = false)
    {
        if (!IsText(a) && !IsText(b) && Number(a) is { } x && Number(b) is { } y)
            return x == y;
        return string.Equals(Show(a), Show(b), ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
    }

    private static bool IsText(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out _);

    public static string List(IEnumerable<JsonNode?> values) => "[" + string.Join(", ", values.Select(Show)) + "]";

    public static bool DeepEquals(JsonNode? a, JsonNode? b) => JsonNode.DeepEquals(a, b);
}
