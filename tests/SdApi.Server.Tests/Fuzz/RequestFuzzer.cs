using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SdApi.Contract.Schemas;
using SdApi.Contract.Spec;

namespace SdApi.Server.Tests.Fuzz;

/// <summary>One fuzz request: the operation, its concrete path, the body bytes, the Content-Type and what was done to it.</summary>
public sealed record FuzzCase(SpecOperation Operation, string Path, byte[] Body, string? ContentType, string Mutation);

/// <summary>What one fuzz run saw (the bench prints these; the suite asserts on them).</summary>
public sealed class FuzzTally
{
    public int Requests { get; set; }
    public int ServerErrors { get; set; }
    public int NotJson { get; set; }
    public int WrongShape { get; set; }
    public int SchemaViolations { get; set; }
    public List<string> Failures { get; } = [];
    public SortedDictionary<int, int> ByStatus { get; } = [];

    public bool Clean => ServerErrors == 0 && NotJson == 0 && WrongShape == 0 && SchemaViolations == 0;
}

/// <summary>Seeded request fuzzer: bodies generated from the spec's request schemas (every operation, every declared
/// property, values inside and just outside the schema), then mutated at the byte level (invalid UTF-8, lone
/// surrogates, NaN/Infinity, numbers beyond a double, duplicate keys, deep nesting, wrong roots, truncation, random
/// byte edits, huge strings, wrong Content-Type). The same seed gives the same requests.</summary>
public sealed class RequestFuzzer(ContractSpec spec, string key, int seed)
{
    private readonly Random _rng = new(seed);
    private readonly ResponseConformance _conformance = new(spec);

    public FuzzCase Next()
    {
        var operation = spec.Operations[_rng.Next(spec.Operations.Count)];
        var path = operation.ConcretePath(_rng.Next(1, 6).ToString(CultureInfo.InvariantCulture));
        var body = operation.RequestSchema is null ? [] : Generate(operation.RequestSchema, 0) as JsonObject ?? [];
        body["key"] = _rng.Next(20) == 0 ? "wrong-key" : key;
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        var (mutated, mutation) = Mutate(bytes);
        var contentType = _rng.Next(40) switch
        {
            0 => null,
            1 => "text/plain",
            2 => "application/json; charset=utf-8",
            _ => "application/json",
        };
        return new FuzzCase(operation, path, mutated, contentType, mutation);
    }

    /// <summary>Checks one answer and counts it; a failure is kept with the request that caused it.</summary>
    public void Check(FuzzCase request, int status, string? contentType, byte[] answer, FuzzTally tally)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(tally);
        tally.Requests++;
        tally.ByStatus[status] = tally.ByStatus.GetValueOrDefault(status) + 1;
        string Describe(string problem) =>
            $"{problem}: {request.Operation.OperationId} {request.Path} [{request.Mutation}] -> {status} {Encoding.UTF8.GetString(answer.AsSpan(0, Math.Min(answer.Length, 300)))}";
        if (status >= 500)
        {
            tally.ServerErrors++;
            Keep(tally, Describe("5xx"));
        }
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(answer);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            tally.NotJson++;
            Keep(tally, Describe("not JSON"));
            return;
        }
        if (contentType is null || !contentType.StartsWith("application/json", StringComparison.Ordinal)
            || root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("status", out var s) || s.GetString() is not ("error" or "success" or "processing" or "failed"))
        {
            tally.WrongShape++;
            Keep(tally, Describe("not the API's shape"));
            return;
        }
        var violations = _conformance.Check(request.Operation, status, Encoding.UTF8.GetString(answer));
        if (violations.Count > 0)
        {
            tally.SchemaViolations++;
            Keep(tally, Describe("schema: " + string.Join("; ", violations.Take(3))));
        }
    }

    private static void Keep(FuzzTally tally, string failure)
    {
        if (tally.Failures.Count < 20) tally.Failures.Add(failure);
    }

    private JsonNode? Generate(JsonNode schema, int depth)
    {
        var s = spec.Deref(schema) as JsonObject;
        if (s is null || depth > 4) return "x";
        if (s["enum"] is JsonArray options && options.Count > 0)
            return _rng.Next(10) == 0 ? "not-an-option" : options[_rng.Next(options.Count)]?.DeepClone();
        foreach (var union in new[] { "oneOf", "anyOf" })
            if (s[union] is JsonArray branches && branches.Count > 0)
                return Generate(branches[_rng.Next(branches.Count)]!, depth + 1);
        if (s["allOf"] is JsonArray all)
        {
            var merged = new JsonObject();
            foreach (var part in all)
                if (Generate(part!, depth + 1) is JsonObject o)
                    foreach (var (name, value) in o) merged[name] = value?.DeepClone();
            return merged;
        }
        var type = s["type"]?.GetValue<string>() ?? (s["properties"] is not null ? "object" : "string");
        switch (type)
        {
            case "object":
                var result = new JsonObject();
                foreach (var (name, property) in s["properties"] as JsonObject ?? [])
                    if (_rng.Next(3) != 0 || (s["required"] as JsonArray)?.Any(r => r?.GetValue<string>() == name) == true)
                        result[name] = Generate(property!, depth + 1);
                return result;
            case "array":
                var items = new JsonArray();
                for (var i = _rng.Next(0, 3); i > 0; i--) items.Add(s["items"] is { } item ? Generate(item, depth + 1) : "x");
                return items;
            case "integer":
                return (long)Between(s, 1, 64, whole: true);
            case "number":
                return Between(s, 0, 10, whole: false);
            case "boolean":
                return _rng.Next(2) == 0;
            default:
                if (s["pattern"]?.GetValue<string>() is { } pattern && pattern.Contains("[0-9]", StringComparison.Ordinal))
                    return ((long)Between(s, 256, 512, whole: true)).ToString(CultureInfo.InvariantCulture);
                return _rng.Next(6) switch
                {
                    0 => "http://127.0.0.1:9/image.png",   // URL fields: a blocked address, never a real fetch
                    1 => "",
                    2 => "yes",
                    _ => "a red circle on blue",
                };
        }
    }

    private double Between(JsonObject s, double low, double high, bool whole)
    {
        var min = Num(s["minimum"]) ?? low;
        var max = Math.Min(Num(s["maximum"]) ?? Math.Max(high, min + 8), min + 1024);
        var value = _rng.Next(8) switch
        {
            0 => min - 1,
            1 => max + 1,
            _ => min + (_rng.NextDouble() * (max - min)),
        };
        if (Num(s["multipleOf"]) is { } step and > 0) value = Math.Round(value / step) * step;
        return whole ? Math.Round(value) : Math.Round(value, 3);
    }

    private (byte[] Body, string Mutation) Mutate(byte[] body)
    {
        switch (_rng.Next(20))
        {
            case 0: return (body, "none");
            case 1: return (InsideString(body, [0xE2, 0x82]), "invalid UTF-8 in a string");
            case 2: return (InsideString(body, [0xFF, 0xC0, 0x80]), "invalid UTF-8 bytes");
            case 3: return (InsideString(body, Encoding.ASCII.GetBytes(_rng.Next(2) == 0 ? "\\ud83d" : "\\udc00")), "lone surrogate escape");
            case 4: return (ReplaceValue(body, Pick("NaN", "Infinity", "-Infinity", "nan")), "NaN/Infinity literal");
            case 5: return (ReplaceValue(body, Pick("1e999", "-1e999", "1e400", "123456789012345678901234567890")), "number beyond range");
            case 6: return (DuplicateKey(body), "duplicate key");
            case 7:
                var depth = _rng.Next(2) == 0 ? 10_000 : 70;
                return (Encoding.UTF8.GetBytes("{\"key\":\"k\",\"x\":" + new string('[', depth) + new string(']', depth) + "}"), $"depth {depth}");
            case 8: return (Pick("[]"u8.ToArray(), "[{}]"u8.ToArray(), "42"u8.ToArray(), "\"text\""u8.ToArray(), "null"u8.ToArray(), "true"u8.ToArray()), "wrong root");
            case 9: return ([], "empty body");
            case 10: return (body[.._rng.Next(body.Length)], "truncated");
            case 11: return (ReplaceValue(body, "\"" + new string('z', _rng.Next(2) == 0 ? 5000 : 300_000) + "\""), "huge string");
            case 12: return (Insert(body, Encoding.UTF8.GetBytes(",\"" + new string('u', _rng.Next(1, 200)) + "\":\"" + new string('v', _rng.Next(1, 10_000)) + "\"")), "unknown member");
            case 13: return (ReplaceValue(body, Pick("{}", "[]", "[1,2]", "{\"a\":{\"b\":1}}", "null", "true", "\"\"", "-0", "0.0000001", "1E+2")), "value of another type");
            default:
                var bytes = (byte[])body.Clone();
                var edits = _rng.Next(1, 4);
                for (var i = 0; i < edits && bytes.Length > 0; i++) bytes[_rng.Next(bytes.Length)] = (byte)_rng.Next(256);
                return (bytes, $"{edits} random byte(s)");
        }
    }

    private static double? Num(JsonNode? node) =>
        node is JsonValue && double.TryParse(node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;

    private T Pick<T>(params T[] options) => options[_rng.Next(options.Length)];

    /// <summary>Inserts <paramref name="bytes"/> just after the opening quote of a random string value.</summary>
    private byte[] InsideString(byte[] body, byte[] bytes)
    {
        var quotes = Positions(body, (byte)':', (byte)'"');
        if (quotes.Count == 0) return Insert(body, Encoding.UTF8.GetBytes(",\"s\":\"a" + Encoding.Latin1.GetString(bytes) + "\""));
        var at = quotes[_rng.Next(quotes.Count)] + 2;
        return [.. body[..at], .. bytes, .. body[at..]];
    }

    /// <summary>Replaces one member's value (from after its colon to the next comma or brace) with <paramref name="value"/>.</summary>
    private byte[] ReplaceValue(byte[] body, string value)
    {
        var colons = Positions(body, (byte)':', null);
        if (colons.Count == 0) return Encoding.UTF8.GetBytes("{\"v\":" + value + "}");
        var start = colons[_rng.Next(colons.Count)] + 1;
        var end = start;
        var inString = false;
        for (; end < body.Length; end++)
        {
            if (body[end] == '"' && body[end - 1] != '\\') inString = !inString;
            if (!inString && body[end] is (byte)',' or (byte)'}') break;
        }
        return [.. body[..start], .. Encoding.UTF8.GetBytes(value), .. body[end..]];
    }

    private byte[] DuplicateKey(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        var members = document.RootElement.EnumerateObject().ToList();
        if (members.Count == 0) return body;
        var member = members[_rng.Next(members.Count)];
        return Insert(body, Encoding.UTF8.GetBytes("," + JsonSerializer.Serialize(member.Name) + ":" + member.Value.GetRawText()));
    }

    /// <summary>Inserts text before the closing brace.</summary>
    private static byte[] Insert(byte[] body, byte[] text)
    {
        var close = Array.LastIndexOf(body, (byte)'}');
        if (close < 0) return [.. body, .. text];
        return [.. body[..close], .. text, .. body[close..]];
    }

    private static List<int> Positions(byte[] body, byte first, byte? next)
    {
        var list = new List<int>();
        for (var i = 0; i + 1 < body.Length; i++)
            if (body[i] == first && (next is null || body[i + 1] == next)) list.Add(i);
        return list;
    }
}
