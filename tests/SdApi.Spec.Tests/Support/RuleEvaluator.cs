using System.Globalization;
using Newtonsoft.Json.Linq;

namespace SdApi.Spec.Tests.Support;

/// <summary>The check table of spec/CONVENTIONS.md ("Rules"), written out plainly so the edge-value table can be
/// checked against the rule parameters it claims to pin. It is the test's own reading of the conventions, kept
/// independent of the generated validators on purpose.</summary>
public static class RuleEvaluator
{
    /// <summary>True when <paramref name="body"/> passes <paramref name="rule"/>.</summary>
    public static bool Passes(JObject rule, JObject body)
    {
        var check = (string)rule["check"]!;
        var field = (string)rule["field"]!;
        var value = body[field];
        var absent = value is null || value.Type == JTokenType.Null;
        if (check == "required")
            return !absent && !(value!.Type == JTokenType.String && string.IsNullOrWhiteSpace((string?)value));
        if (absent)
            return true;
        return check switch
        {
            "range" => Number(value!) is { } n && InRange(n, rule),
            "one-of" => rule["values"]!.Any(allowed => SameValue(allowed, value!)),
            "multiple-of" => Number(value!) is { } n && Math.IEEERemainder(n, (double)rule["value"]!) == 0,
            "max-length" => value!.Type == JTokenType.String && ((string)value!).Length <= (int)rule["value"]!,
            "url" => IsUrl(value!, rule) || Base64Allowed(body, rule),
            "list-items-range" => NumberList(value!) is { } list && list.All(n => InRange(n, rule)),
            "list-count-match" => CountMatches(value!, body[(string)rule["with"]!]),
            "list-max-count" => Items(value!).Count <= (int)rule["value"]!,
            _ => throw new InvalidOperationException($"Unknown check '{check}' in rule {rule["id"]}"),
        };
    }

    public static double? Number(JToken value) => value.Type switch
    {
        JTokenType.Integer or JTokenType.Float => (double)value,
        JTokenType.String when double.TryParse((string?)value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };

    private static bool InRange(double n, JObject rule) =>
        (rule["min"] is null || n >= (double)rule["min"]!) && (rule["max"] is null || n <= (double)rule["max"]!);

    private static bool SameValue(JToken allowed, JToken value)
    {
        if (Number(allowed) is { } a && allowed.Type != JTokenType.String && Number(value) is { } v)
            return a == v;
        return string.Equals(Text(allowed), Text(value), StringComparison.Ordinal); // exactly, like the schema enum
    }

    private static string Text(JToken t) => t.Type switch
    {
        JTokenType.String => (string)t!,
        JTokenType.Integer or JTokenType.Float => ((double)t).ToString(CultureInfo.InvariantCulture),
        _ => t.ToString(),
    };

    private static bool IsUrl(JToken value, JObject rule) =>
        value.Type == JTokenType.String
        && Uri.TryCreate((string?)value, UriKind.Absolute, out var uri)
        && rule["schemes"]!.Values<string>().Contains(uri.Scheme, StringComparer.OrdinalIgnoreCase);

    private static bool Base64Allowed(JObject body, JObject rule) =>
        rule["or-base64-when"] is { } flag
        && string.Equals((string?)body[(string)flag!], "yes", StringComparison.OrdinalIgnoreCase);

    private static List<string> Items(JToken value) => value.Type == JTokenType.String
        ? ((string)value!).Split(',').Select(s => s.Trim()).Where(s => s.Length > 0).ToList()
        : [Text(value)];

    private static List<double>? NumberList(JToken value)
    {
        var result = new List<double>();
        foreach (var item in Items(value))
        {
            if (!double.TryParse(item, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
                return null;
            result.Add(d);
        }
        return result;
    }

    private static bool CountMatches(JToken value, JToken? other) =>
        other is null || other.Type == JTokenType.Null || Items(value).Count == Items(other).Count;
}
