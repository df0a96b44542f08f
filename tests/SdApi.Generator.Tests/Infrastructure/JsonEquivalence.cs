using System.Globalization;
using System.Text.Json.Nodes;

namespace SdApi.Generator.Tests.Infrastructure;

/// <summary>Whether two JSON documents say the same thing in the API's terms. The documented normalizations and no
/// others: a numeric string equals the number (requests send "512", the writer writes 512); yes/no flags compare
/// case-insensitively and equal JSON true/false; a null field equals an absent one; alias names equal their canonical
/// name; "a, b" lists equal "a,b".</summary>
internal static class JsonEquivalence
{
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["messege"] = "message",
        ["safetychecker"] = "safety_checker",
    };

    public static string? FirstDifference(JsonNode? expected, JsonNode? actual, string path = "$")
    {
        if (expected is JsonObject eo && actual is JsonObject ao)
        {
            var e = Canonical(eo);
            var a = Canonical(ao);
            foreach (var key in e.Keys.Union(a.Keys))
            {
                e.TryGetValue(key, out var ev);
                a.TryGetValue(key, out var av);
                var diff = FirstDifference(ev, av, path + "." + key);
                if (diff is not null) return diff;
            }
            return null;
        }
        if (expected is JsonArray ea && actual is JsonArray aa)
        {
            if (ea.Count != aa.Count) return $"{path}: {ea.Count} items vs {aa.Count}";
            for (var i = 0; i < ea.Count; i++)
            {
                var diff = FirstDifference(ea[i], aa[i], $"{path}[{i}]");
                if (diff is not null) return diff;
            }
            return null;
        }
        return ScalarEquals(expected, actual) ? null : $"{path}: {expected?.ToJsonString() ?? "absent"} vs {actual?.ToJsonString() ?? "absent"}";
    }

    private static Dictionary<string, JsonNode?> Canonical(JsonObject obj)
    {
        var map = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (key, value) in obj)
        {
            var name = Aliases.TryGetValue(key, out var canonical) ? canonical : key;
            if (value is not null || !map.ContainsKey(name)) map[name] = value;
        }
        return map;
    }

    private static bool ScalarEquals(JsonNode? a, JsonNode? b)
    {
        if (a is null || b is null) return a is null && b is null;
        if (a is not JsonValue || b is not JsonValue) return false;
        var sa = Text(a);
        var sb = Text(b);
        if (sa == sb) return true;
        if (double.TryParse(sa, NumberStyles.Float, CultureInfo.InvariantCulture, out var da)
            && double.TryParse(sb, NumberStyles.Float, CultureInfo.InvariantCulture, out var db))
            return Math.Abs(da - db) < 1e-9;
        if (Flag(sa) is { } fa && Flag(sb) is { } fb) return fa == fb;
        return string.Equals(Csv(sa), Csv(sb), StringComparison.Ordinal);
    }

    private static string Text(JsonNode node) => node.GetValueKind() == System.Text.Json.JsonValueKind.String ? node.GetValue<string>() : node.ToJsonString();

    private static bool? Flag(string s) => s.ToUpperInvariant() switch
    {
        "YES" or "TRUE" => true,
        "NO" or "FALSE" => false,
        _ => null,
    };

    private static string Csv(string s) => string.Join(",", s.Split(',').Select(p => p.Trim()));
}
