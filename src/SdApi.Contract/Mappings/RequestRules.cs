using System.Globalization;
using System.Text.Json.Nodes;
using SdApi.Contract.Spec;

namespace SdApi.Contract.Mappings;

/// <summary>One <c>x-sdapi-rules</c> item of a request schema, as the mappings need it.</summary>
/// <param name="Severity"><c>error</c> (refused) or <c>warning</c> (accepted with a warning; mocks accept it).</param>
public sealed record SpecRule(string Id, string Field, string Check, string Severity, string Message, JsonObject Raw)
{
    public bool IsError => !string.Equals(Severity, "warning", StringComparison.OrdinalIgnoreCase);

    public decimal? Number(string name) =>
        Raw[name] is JsonValue v && decimal.TryParse(v.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;

    public string? Text(string name) => Raw[name] is JsonValue v ? v.ToString() : null;

    public override string ToString() => Id;
}

/// <summary>
/// A request schema of openapi.yaml read as the generated validator sees it: each property's <c>x-sdapi-kind</c> decides
/// what the tolerant reader accepts (CONVENTIONS.md, "read tolerates"), each <c>x-sdapi-rules</c> item what the
/// validator refuses. <see cref="WireSchema"/> and <see cref="Holds"/> say both in JSON Schema draft 7 (keywords that
/// OpenAPI 3.0 also has, so Prism can read them too); <see cref="Holds"/> is null for a rule JSON Schema cannot say
/// (listed in src/SdApi.Contract/README.md; the in-process mock runs the generated validator instead).
/// </summary>
public sealed class RequestRules
{
    /// <summary>Lists longer than this are not checked for pairing by the mappings (the alternatives grow per count).</summary>
    public const int MaxPairedItems = 8;

    private static readonly JsonObject Null = new() { ["type"] = "null" };

    private RequestRules(JsonObject properties, IReadOnlyList<SpecRule> rules)
    {
        Properties = properties;
        Rules = rules;
    }

    /// <summary>Property name to its schema as written in openapi.yaml (with <c>x-sdapi-kind</c>).</summary>
    public JsonObject Properties { get; }

    public IReadOnlyList<SpecRule> Rules { get; }

    public static RequestRules For(ContractSpec spec, SpecOperation operation)
    {
        if (operation.RequestSchema is null) return new RequestRules([], []);
        var schema = spec.Deref(operation.RequestSchema);
        var rules = new List<SpecRule>();
        foreach (var node in schema["x-sdapi-rules"] as JsonArray ?? [])
        {
            if (node is not JsonObject rule) continue;
            rules.Add(new SpecRule(
                rule["id"]?.ToString() ?? "",
                rule["field"]?.ToString() ?? "",
                rule["check"]?.ToString() ?? "",
                rule["severity"]?.ToString() ?? "error",
                rule["message"]?.ToString() ?? "",
                rule));
        }
        // A same-value rule makes two wire names one field (num_inference_steps / steps): as in the generated validator,
        // every other rule of the first name also holds for the second, refused under the name the caller sent.
        foreach (var alias in rules.Where(r => r.Check == "same-value" && r.Raw["with"] is not null).ToList())
        {
            var second = alias.Raw["with"]!.ToString();
            foreach (var rule in rules.Where(r => r.Field == alias.Field && r.Check is not ("same-value" or "required")).ToList())
            {
                var copy = rule.Raw.DeepClone().AsObject();
                copy["field"] = second;
                rules.Add(rule with { Field = second, Raw = copy });
            }
        }
        return new RequestRules(schema["properties"] as JsonObject ?? [], rules);
    }

    public string Kind(string field) => Properties[field]?["x-sdapi-kind"]?.ToString() ?? "string";

    /// <summary>The values the generated reader converts without a wire-type issue, for <paramref name="field"/>.</summary>
    public JsonObject WireSchema(string field) => Kind(field) switch
    {
        "integer" => AnyOf(Null, Type("integer"), Pattern(@"^[ \t\r\n]*(?:[+-]?(?:[0-9]+(?:\.0*)?|\.0+))?[ \t\r\n]*$")),
        "number" => AnyOf(Null, Type("number"), Pattern($@"^[ \t\r\n]*(?:{Number})?[ \t\r\n]*$")),
        "yes-no" => AnyOf(Null, Type("boolean"), Pattern(@"^[ \t\r\n]*(?:[yY][eE][sS]|[nN][oO])[ \t\r\n]*$")),
        "id-list" => AnyOf(Null, Type("string"), Type("number"),
            new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = new JsonArray("string", "number", "boolean", "null") } }),
        "number-list" => AnyOf(Null, Type("number"), Pattern($@"^[ \t\r\n]*(?:{Number})?[ \t\r\n]*(?:,[ \t\r\n]*(?:{Number})?[ \t\r\n]*)*$"),
            new JsonObject { ["type"] = "array", ["items"] = AnyOf(Type("number"), Pattern($@"^[ \t\r\n]*{Number}[ \t\r\n]*$")) }),
        "int-or-string" => AnyOf(Null, Type("number"), Type("string")),
        _ => new JsonObject { ["type"] = new JsonArray("string", "number", "boolean", "null") },
    };

    /// <summary>What the reader says when <paramref name="field"/> has a value it cannot convert.</summary>
    public string WireMessage(string field)
    {
        var expected = Kind(field) switch
        {
            "integer" => "an integer",
            "number" => "a number",
            "yes-no" => "yes or no",
            "id-list" => "a comma-separated list",
            "number-list" => "a number or a comma-separated list of numbers",
            "int-or-string" => "an id",
            _ => "a string",
        };
        return $"The {field.Replace('_', ' ')} must be {expected}.";
    }

    /// <summary>A schema that a body passes exactly when <paramref name="rule"/> holds; null when JSON Schema cannot say it.</summary>
    public JsonObject? Holds(SpecRule rule)
    {
        // A parameter this code does not know may change what the check means: leave the rule to the validator.
        if (rule.Raw.Any(p => !KnownMembers.Contains(p.Key) && !p.Key.StartsWith("x-", StringComparison.Ordinal))) return null;
        var field = rule.Field;
        var kind = Kind(field);
        JsonObject? value = rule.Check switch
        {
            "required" => null, // handled below: it is about presence
            "range" when kind is "integer" or "number" => Bounds(rule.Number("min"), rule.Number("max")),
            "range" or "list-items-range" when kind is "number-list" or "id-list" => ItemBounds(rule.Number("min"), rule.Number("max")),
            "multiple-of" when kind is "integer" or "number" => MultipleOf(rule.Number("value")),
            "one-of" when kind is not ("yes-no" or "id-list" or "number-list") => OneOf(rule.Raw["values"] as JsonArray ?? []),
            "max-length" when kind is "string" or "image" or "enum" => MaxLength(rule.Number("value")),
            "url" => Url(rule),
            "list-count-match" or "list-pairs" => null, // handled below: it relates two fields
            "list-max-count" when kind is "id-list" or "number-list" => CountAtMost(rule.Number("value")),
            _ => null,
        };
        return rule.Check switch
        {
            "required" => Required(field),
            "list-count-match" => rule.Text("with") is string with ? CountMatch(field, with) : null,
            "list-pairs" => rule.Text("with") is string with ? Pairs(field, with) : null,
            "url" => value, // already a whole-body schema (the base64 flag is another field)
            _ => value is null ? null : new JsonObject { ["properties"] = new JsonObject { [field] = AnyOf(Null, value) } },
        };
    }

    private const string Number = @"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)";

    /// <summary>Rule members whose meaning <see cref="Holds"/> knows (spec/CONVENTIONS.md, "Rules").</summary>
    private static readonly HashSet<string> KnownMembers = new(StringComparer.Ordinal)
    {
        "id", "field", "check", "message", "severity", "min", "max", "value", "values", "schemes", "or-base64-when", "with",
    };

    /// <summary>Present, not null, and a string holds more than blanks (and commas, for a list).</summary>
    private JsonObject Required(string field) => new()
    {
        ["required"] = new JsonArray(field),
        ["properties"] = new JsonObject
        {
            [field] = new JsonObject
            {
                ["not"] = Null.DeepClone(),
                ["pattern"] = Kind(field) is "id-list" or "number-list" ? @"[^, \t\r\n]" : @"[^ \t\r\n]",
                ["minItems"] = 1,
            },
        },
    };

    private static JsonObject? Bounds(decimal? min, decimal? max)
    {
        if (min is null && max is null) return null;
        var schema = new JsonObject { ["pattern"] = NumericPatterns.Scalar(min, max) };
        if (min is not null) schema["minimum"] = min;
        if (max is not null) schema["maximum"] = max;
        return schema;
    }

    private static JsonObject? ItemBounds(decimal? min, decimal? max)
    {
        if (min is null && max is null) return null;
        var number = new JsonObject();
        if (min is not null) number["minimum"] = min;
        if (max is not null) number["maximum"] = max;
        var item = number.DeepClone().AsObject();
        item["pattern"] = NumericPatterns.Scalar(min, max);
        number["pattern"] = NumericPatterns.List(min, max);
        number["items"] = item;
        return number;
    }

    private static JsonObject? MultipleOf(decimal? divisor)
    {
        if (divisor is not decimal d || NumericPatterns.MultipleOf(d) is not string pattern) return null;
        return new JsonObject { ["multipleOf"] = d, ["pattern"] = pattern };
    }

    /// <summary>As the validator compares: strings exactly (trimmed), and a value that is a number also numerically.</summary>
    private static JsonObject OneOf(JsonArray values)
    {
        var texts = new List<string>();
        var numbers = new JsonArray();
        foreach (var value in values)
        {
            if (value is not JsonValue v) continue;
            var text = v.ToString();
            if (v.GetValueKind() == System.Text.Json.JsonValueKind.String) texts.Add(NumericPatterns.Literal(text));
            if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
            {
                texts.Add(NumericPatterns.Item(n, n));
                numbers.Add(n);
            }
            else if (text is "true" or "false")
            {
                numbers.Add(text == "true");
            }
        }
        var branches = new List<JsonObject> { Pattern($"^[ \\t\\r\\n]*(?:{string.Join('|', texts)})[ \\t\\r\\n]*$") };
        if (numbers.Count > 0) branches.Add(new JsonObject { ["type"] = new JsonArray("number", "boolean"), ["enum"] = numbers });
        return AnyOf([.. branches]);
    }

    private static JsonObject? MaxLength(decimal? length) =>
        length is decimal n ? new JsonObject { ["maxLength"] = (int)n } : null;

    /// <summary>An absolute URL with one of the schemes and a host, or base64 data when the rule's flag is yes.</summary>
    private JsonObject Url(SpecRule rule)
    {
        var schemes = (rule.Raw["schemes"] as JsonArray ?? ["http", "https"]).Select(s => CaseInsensitive(s!.ToString()));
        var url = new JsonObject
        {
            ["type"] = "string",
            ["pattern"] = $@"^[ \t\r\n]*(?:{string.Join('|', schemes)}):\/\/[^\/?#\s@]*@?[^\/?#\s@:]+",
        };
        var field = rule.Field;
        var urlOk = new JsonObject { ["properties"] = new JsonObject { [field] = AnyOf(Null, url) } };
        if (rule.Text("or-base64-when") is not string flag) return urlOk;
        var base64 = Pattern(@"^[ \t\r\n]*(?:[dD][aA][tT][aA]:[^,]*;[bB][aA][sS][eE]64,)?(?:[A-Za-z0-9+\/]{4})*(?:[A-Za-z0-9+\/]{4}|[A-Za-z0-9+\/]{3}=|[A-Za-z0-9+\/]{2}==)[ \t\r\n]*$");
        var yes = AnyOf(new JsonObject { ["enum"] = new JsonArray(true) }, Pattern(@"^[ \t\r\n]*[yY][eE][sS][ \t\r\n]*$"));
        var base64Ok = new JsonObject
        {
            ["required"] = new JsonArray(flag),
            ["properties"] = new JsonObject { [flag] = yes, [field] = base64 },
        };
        return AnyOf(urlOk, base64Ok);
    }

    /// <summary>The two lists have as many items, or one of them is absent; lists longer than <see cref="MaxPairedItems"/>
    /// are left to the validator.</summary>
    private JsonObject CountMatch(string field, string with)
    {
        var branches = new List<JsonObject> { Absent(field), Absent(with) };
        for (var n = 0; n <= MaxPairedItems; n++)
            branches.Add(new JsonObject
            {
                ["properties"] = new JsonObject { [field] = Count(n, n), [with] = Count(n, n) },
            });
        branches.Add(new JsonObject { ["properties"] = new JsonObject { [field] = Count(MaxPairedItems + 1, null) } });
        return AnyOf([.. branches]);
    }

    /// <summary>list-pairs: no value, one value (it applies to every item of the other list), or one value per item.</summary>
    private JsonObject Pairs(string field, string with)
    {
        var branches = new List<JsonObject> { Absent(field), Absent(with), new() { ["properties"] = new JsonObject { [field] = Count(0, 1) } } };
        for (var n = 2; n <= MaxPairedItems; n++)
            branches.Add(new JsonObject
            {
                ["properties"] = new JsonObject { [field] = Count(n, n), [with] = Count(n, n) },
            });
        branches.Add(new JsonObject { ["properties"] = new JsonObject { [field] = Count(MaxPairedItems + 1, null) } });
        return AnyOf([.. branches]);
    }

    /// <summary>The field is absent, null, or (for a number list) blank, which the reader reads as absent.</summary>
    private JsonObject Absent(string field)
    {
        var absent = new List<JsonObject> { new() { ["not"] = new JsonObject { ["required"] = new JsonArray(field) } } };
        var empty = Kind(field) == "number-list" ? AnyOf(Null, Pattern(@"^[ \t\r\n,]*$")) : Null.DeepClone().AsObject();
        absent.Add(new JsonObject { ["required"] = new JsonArray(field), ["properties"] = new JsonObject { [field] = empty } });
        return AnyOf([.. absent]);
    }

    private static JsonObject? CountAtMost(decimal? max) => max is decimal m ? Count(0, (int)m) : null;

    /// <summary>A list value (csv string, single number, or array) with min..max non-blank items.</summary>
    private static JsonObject Count(int min, int? max)
    {
        const string item = @"[^,]*[^,\s][^,]*";
        const string blanks = @"(?:[ \t\r\n]*,)*";
        string csv;
        if (max == 0) csv = @"^[ \t\r\n,]*$";
        else
        {
            var more = max is null ? $"{{{Math.Max(min - 1, 0)},}}" : $"{{{Math.Max(min - 1, 0)},{max.Value - 1}}}";
            csv = $@"^{blanks}{item}(?:,{blanks}{item}){more}(?:,[ \t\r\n]*)*$";
            if (min == 0) csv = $@"^[ \t\r\n,]*$|{csv}";
        }
        var branches = new List<JsonObject> { Pattern(csv) };
        var array = new JsonObject { ["type"] = "array", ["minItems"] = min };
        if (max is not null) array["maxItems"] = max.Value;
        branches.Add(array);
        if (min <= 1 && (max is null || max >= 1)) branches.Add(Type("number"));
        return AnyOf([.. branches]);
    }

    private static string CaseInsensitive(string word) =>
        string.Concat(word.Select(c => char.IsLetter(c) ? $"[{char.ToLowerInvariant(c)}{char.ToUpperInvariant(c)}]" : NumericPatterns.Literal(c.ToString())));

    private static JsonObject Type(string type) => new() { ["type"] = type };

    private static JsonObject Pattern(string pattern) => new() { ["type"] = "string", ["pattern"] = pattern };

    private static JsonObject AnyOf(params JsonObject[] branches) =>
        new() { ["anyOf"] = new JsonArray(branches.Select(b => (JsonNode)b.DeepClone()).ToArray()) };
}
