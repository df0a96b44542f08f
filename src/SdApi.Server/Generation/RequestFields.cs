using System.Globalization;
using System.Text.Json;

namespace SdApi.Server.Generation;

/// <summary>Tolerant reads of request fields the way the API sends them: numbers as numbers or numeric strings,
/// flags as "yes"/"no" (any case) or JSON booleans, lists as comma-separated strings.</summary>
public static class RequestFields
{
    public static string? String(JsonElement body, string name) =>
        body.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            JsonValueKind.True => "yes",
            JsonValueKind.False => "no",
            _ => null,
        } : null;

    public static double? Number(JsonElement body, string name)
    {
        if (!body.TryGetProperty(name, out var v))
            return null;
        if (v.ValueKind == JsonValueKind.Number)
            return v.GetDouble();
        if (v.ValueKind == JsonValueKind.String
            && double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
            return d;
        return null;
    }

    public static long? Integer(JsonElement body, string name) =>
        Number(body, name) is { } d && !double.IsNaN(d) && !double.IsInfinity(d) ? (long)Math.Clamp(d, long.MinValue, long.MaxValue) : null;

    public static bool? YesNo(JsonElement body, string name)
    {
        if (!body.TryGetProperty(name, out var v))
            return null;
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String when string.Equals(v.GetString(), "yes", StringComparison.OrdinalIgnoreCase) => true,
            JsonValueKind.String when string.Equals(v.GetString(), "no", StringComparison.OrdinalIgnoreCase) => false,
            _ => null,
        };
    }

    public static IReadOnlyList<string> List(JsonElement body, string name) =>
        String(body, name) is { } s
            ? s.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : [];

    public static IReadOnlyList<double> NumberList(JsonElement body, string name)
    {
        if (Number(body, name) is { } single)
            return [single];
        return [.. List(body, name).Select(s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : double.NaN)];
    }
}
