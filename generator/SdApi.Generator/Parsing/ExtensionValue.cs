using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using Newtonsoft.Json.Linq;

namespace SdApi.Generator.Parsing;

/// <summary>Reads <c>x-sdapi-*</c> extension values as NSwag hands them over (strings from YAML scalars,
/// object[] for sequences, dictionaries or JTokens for mappings) into plain strings, lists and maps.</summary>
internal static class ExtensionValue
{
    public static object? Get(IDictionary<string, object?>? data, string name)
        => data is not null && data.TryGetValue(name, out var v) ? v : null;

    public static string? AsString(object? value) => value switch
    {
        null => null,
        string s => s,
        JValue j => j.Value is null ? null : System.Convert.ToString(j.Value, CultureInfo.InvariantCulture),
        JToken => null,
        bool b => b ? "true" : "false",
        System.IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IDictionary => null,
        IEnumerable => null,
        _ => value.ToString(),
    };

    public static bool AsBool(object? value)
        => string.Equals(AsString(value), "true", System.StringComparison.OrdinalIgnoreCase);

    public static List<object?>? AsList(object? value)
    {
        switch (value)
        {
            case null: return null;
            case string: return null;
            case JArray arr:
                var fromJ = new List<object?>();
                foreach (var t in arr) fromJ.Add(t);
                return fromJ;
            case IDictionary: return null;
            case JToken: return null;
            case IEnumerable e:
                var list = new List<object?>();
                foreach (var item in e) list.Add(item);
                return list;
            default: return null;
        }
    }

    public static Dictionary<string, object?>? AsMap(object? value)
    {
        switch (value)
        {
            case JObject obj:
                var fromJ = new Dictionary<string, object?>();
                foreach (var p in obj.Properties()) fromJ[p.Name] = p.Value;
                return fromJ;
            case IDictionary<string, object?> typed:
                return new Dictionary<string, object?>(typed);
            case IDictionary dict:
                var map = new Dictionary<string, object?>();
                foreach (DictionaryEntry e in dict) map[e.Key?.ToString() ?? ""] = e.Value;
                return map;
            default:
                return null;
        }
    }

    public static List<string> AsStrings(object? value)
    {
        var result = new List<string>();
        var list = AsList(value);
        if (list is null)
        {
            var single = AsString(value);
            if (single is not null) result.Add(single);
            return result;
        }
        foreach (var item in list)
        {
            var s = AsString(item);
            if (s is not null) result.Add(s);
        }
        return result;
    }
}
