using System.Globalization;
using Newtonsoft.Json.Linq;

namespace SdApi.Spec.Tests.Support;

/// <summary>The check table of spec/CONVENTIONS.md ("Rules"), written out plainly so the edge-value table can be
/// checked against the rule parameters it claims to pin. It is the test's own reading of the conventions, kept
/// independent of the generated validators on purpose.</summary>
public static class RuleEvaluator
{
    public static bool IsWarning(JObject rule) => (string?)rule["severity"] == "warning";

    /// <summary>A <c>same-value</c> rule makes two wire names one field: every other rule of the first name (but
    /// <c>required</c>) also applies to the second. Returns rule -> the names it is checked on.</summary>
    public static IEnumerable<(JObject Rule, string Field)> Targets(IReadOnlyList<JObject> rules)
    {
        var aliases = rules.Where(r => (string?)r["check"] == "same-value").ToDictionary(r => (string)r["field"]!, r => (string)r["with"]!);
        foreach (var rule in rules)
        {
            var field = (string)rule["field"]!;
            yield return (rule, field);
            if ((string?)rule["check"] is not ("same-value" or "required") && aliases.TryGetValue(field, out var alias))
                yield return (rule, alias);
        }
    }

    /// <summary>The rules of severity error that <paramref name="body"/> breaks, with the name each is broken on.</summary>
    public static List<(JObject Rule, string Field)> Errors(IReadOnlyList<JObject> rules, JObject body) =>
        Targets(rules).Where(t => !IsWarning(t.Rule) && !Passes(t.Rule, body, t.Field)).ToList();

    /// <summary>The ids of the warning rules <paramref name="body"/> breaks (sorted, distinct).</summary>
    public static List<string> Warnings(IReadOnlyList<JObject> rules, JObject body) =>
        Targets(rules).Where(t => IsWarning(t.Rule) && !Passes(t.Rule, body, t.Field)).Select(t => (string)t.Rule["id"]!)
            .Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>True when <paramref name="body"/> passes <paramref name="rule"/> (on <paramref name="name"/>, the rule's
    /// field unless a second wire name of it is checked).</summary>
    public static bool Passes(JObject rule, JObject body, string? name = null)
    {
        var check = (string)rule["check"]!;
        var field = name ?? (string)rule["field"]!;
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
            "list-pairs" => Items(value!).Count <= 1 || CountMatches(value!, body[(string)rule["with"]!]),
            "same-value" => body[(string)rule["with"]!] is not { Type: not JTokenType.Null } other || SameValue(other, value!) || SameValue(value!, other),
            "absent" => false,
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
