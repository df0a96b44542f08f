using System.Globalization;
using System.Text.Json.Nodes;
using SdApi.Contract.Mappings;
using SdApi.Contract.Spec;

namespace SdApi.Contract.Tests.Matrix;

/// <summary>One request of the matrix: an edge row (with the table's own verdict) or a mutated request (tags say what
/// kind of value was sent, e.g. <c>number-as-string</c>, <c>flag-boolean</c>, <c>null</c>, <c>lora-pairing</c>).</summary>
public sealed record MatrixRequest(string Id, SpecOperation Operation, JsonObject Body, IReadOnlyList<string> Tags, EdgeRow? Row)
{
    public string Path => Operation.ConcretePath();

    public override string ToString() => $"{Id} {Operation.OperationId} {Body.ToJsonString()}";
}

/// <summary>
/// The matrix's input: every edge row of spec/edge-values.json, then a seeded corpus of mutated requests derived from
/// the spec alone: each mutation picks a field of the operation's request schema and a value by its
/// <c>x-sdapi-kind</c>, near the bounds of the field's rules (numbers as numbers and as strings), flags, LoRA lists,
/// both step names, missing and null fields. No verdict is written down: every side must agree with the others.
/// </summary>
public sealed class MatrixCorpus(ContractSpec spec, EdgeTable edges, int seed)
{
    /// <summary>The two names the API pages use for the step count.</summary>
    private static readonly string[] StepNames = ["steps", "num_inference_steps"];

    private static readonly string[] LoraIds = ["more_details", "animie", "add_detail", "ghibli"];

    public IReadOnlyList<MatrixRequest> EdgeRows() =>
        edges.Rows.Select(row => new MatrixRequest("edge:" + row.Id, spec.Operation(row.Operation), edges.Body(row),
            ["edge", row.Schema ? "edge:schema" : "edge:rule-only", .. BodyTags(edges.Body(row))], row)).ToList();

    /// <summary>Tags read off the final body, whatever mutation produced it: both step names sent (the same-value rule).</summary>
    private static IEnumerable<string> BodyTags(JsonObject body)
    {
        if (StepNames.All(body.ContainsKey)) yield return "steps-both";
    }

    public IReadOnlyList<MatrixRequest> Mutated(int count)
    {
        var random = new Random(seed);
        var operations = spec.Operations.Where(o => o.RequestSchema is not null && edges.Bases.ContainsKey(o.OperationId)).ToList();
        var rules = operations.ToDictionary(o => o.OperationId, o => RequestRules.For(spec, o));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var list = new List<MatrixRequest>();
        for (var attempt = 0; list.Count < count && attempt < count * 20; attempt++)
        {
            var operation = operations[attempt % operations.Count];
            var body = edges.Bases[operation.OperationId].DeepClone().AsObject();
            var tags = new List<string>();
            var mutations = random.NextDouble() < 0.7 ? 1 : 2;
            for (var i = 0; i < mutations; i++)
                Mutate(random, rules[operation.OperationId], body, tags);
            var text = operation.OperationId + body.ToJsonString();
            if (!seen.Add(text)) continue;
            list.Add(new MatrixRequest($"corpus:{list.Count}", operation, body, tags.Concat(BodyTags(body)).Distinct().ToList(), null));
        }
        return list;
    }

    private static void Mutate(Random random, RequestRules rules, JsonObject body, List<string> tags)
    {
        var fields = rules.Properties.Select(p => p.Key).ToList();
        var ruled = rules.Rules.Select(r => r.Field).Distinct().ToList();
        var roll = random.NextDouble();
        if (roll < 0.06)
        {
            StepName(random, body, tags);
            return;
        }
        if (roll < 0.14 && fields.Contains("lora_model") && fields.Contains("lora_strength"))
        {
            LoraPair(random, body, tags);
            return;
        }
        var field = ruled.Count > 0 && random.NextDouble() < 0.6 ? ruled[random.Next(ruled.Count)] : fields[random.Next(fields.Count)];
        roll = random.NextDouble();
        if (body[field] is JsonValue current && current.ToString() == Harness.ReferenceServer.Key)
        {
            // The key: only its absence is a validation verdict. Any other key is the provider's business (the server
            // answers 401 Invalid Api Key before validating; the other sides know no keys).
            var blank = roll < 0.3 ? null : roll < 0.6 ? "" : "   ";
            if (roll < 0.15) body.Remove(field);
            else body[field] = blank;
            tags.Add(roll < 0.15 ? "missing" : roll < 0.3 ? "null" : "blank-string");
            return;
        }
        if (roll < 0.07)
        {
            body.Remove(field);
            tags.Add("missing");
            return;
        }
        if (roll < 0.14)
        {
            body[field] = null;
            tags.Add("null");
            return;
        }
        var kind = rules.Kind(field);
        body[field] = Value(random, rules, field, kind, tags);
    }

    private static JsonNode? Value(Random random, RequestRules rules, string field, string kind, List<string> tags)
    {
        var fieldRules = rules.Rules.Where(r => r.Field == field).ToList();
        switch (kind)
        {
            case "integer" or "number":
            {
                var candidates = new List<decimal> { 0, 1, 7, 30, 512, 777, 2048 };
                foreach (var rule in fieldRules)
                {
                    foreach (var name in new[] { "min", "max" })
                        if (rule.Number(name) is decimal bound)
                            candidates.AddRange(kind == "integer" ? [bound - 1, bound, bound + 1] : [bound - 0.5m, bound - 0.01m, bound, bound + 0.01m, bound + 0.5m]);
                    if (rule.Number("value") is decimal step)
                        candidates.AddRange([step * 40, step * 40 + 1, step * 64, step * 64 - 4]);
                    foreach (var v in rule.Raw["values"] as JsonArray ?? [])
                        if (decimal.TryParse(v?.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n)) candidates.Add(n);
                }
                var number = candidates[random.Next(candidates.Count)];
                if (kind == "integer" && random.NextDouble() < 0.05)
                {
                    tags.Add("integer-with-fraction");
                    return (number + 0.5m).ToString(CultureInfo.InvariantCulture);
                }
                var roll = random.NextDouble();
                if (roll < 0.45)
                {
                    tags.Add("number-as-number");
                    return JsonValue.Create(number);
                }
                if (roll < 0.95)
                {
                    tags.Add("number-as-string");
                    return number.ToString(CultureInfo.InvariantCulture);
                }
                tags.Add("number-as-padded-string");
                return "0" + number.ToString(CultureInfo.InvariantCulture);
            }
            case "yes-no":
            {
                var roll = random.Next(8);
                tags.Add(roll switch { < 4 => "flag-listed", < 6 => "flag-boolean", _ => "flag-other" });
                return roll switch
                {
                    0 => "yes",
                    1 => "no",
                    2 => "YES",
                    3 => "No",
                    4 => true,
                    5 => false,
                    6 => "maybe",
                    _ => "",
                };
            }
            case "id-list":
            {
                var ids = Enumerable.Range(0, random.Next(1, 4)).Select(_ => LoraIds[random.Next(LoraIds.Length)]).ToList();
                if (random.NextDouble() < 0.15)
                {
                    tags.Add("id-list-array");
                    return new JsonArray(ids.Select(i => (JsonNode)i).ToArray());
                }
                tags.Add("id-list-csv");
                return string.Join(",", ids);
            }
            case "number-list":
            {
                decimal[] pool = [0.05m, 0.1m, 0.45m, 0.7m, 1m, 1.2m];
                var values = Enumerable.Range(0, random.Next(1, 4)).Select(_ => pool[random.Next(pool.Length)]).ToList();
                if (values.Count == 1 && random.NextDouble() < 0.5)
                {
                    tags.Add("strengths-number");
                    return JsonValue.Create(values[0]);
                }
                tags.Add("strengths-csv");
                return string.Join(",", values.Select(v => v.ToString(CultureInfo.InvariantCulture)));
            }
            case "enum":
            {
                var values = fieldRules.SelectMany(r => r.Raw["values"] as JsonArray ?? []).Where(v => v is not null).ToList();
                var roll = random.NextDouble();
                if (values.Count > 0 && roll < 0.6)
                {
                    tags.Add("enum-listed");
                    return values[random.Next(values.Count)]!.DeepClone();
                }
                if (values.Count > 0 && roll < 0.8)
                {
                    tags.Add("enum-case-variant");
                    var text = values[random.Next(values.Count)]!.ToString();
                    return text.ToLowerInvariant() == text ? text.ToUpperInvariant() : text.ToLowerInvariant();
                }
                tags.Add("enum-unknown");
                return "unknown_value";
            }
            case "int-or-string":
            {
                var pick = random.Next(4);
                tags.Add(pick switch { 0 => "id-number", 2 => "blank-string", _ => "id-text" });
                return pick switch { 0 => 42, 1 => "abc", 2 => "", _ => "29763508" };
            }
            default:
            {
                var url = fieldRules.Any(r => r.Check == "url");
                var maxLength = fieldRules.FirstOrDefault(r => r.Check == "max-length")?.Number("value");
                var roll = random.Next(url ? 6 : 5);
                tags.Add(roll switch
                {
                    0 => "blank-string",
                    1 => "number-for-string",
                    2 when maxLength is not null => "long-string",
                    2 => "blank-string",
                    3 => url ? "url-other-scheme" : "text",
                    4 => url ? "not-a-url" : "text",
                    _ => "url-https",
                });
                return roll switch
                {
                    0 => "",
                    1 => JsonValue.Create(42),
                    2 when maxLength is decimal n => new string('a', (int)n + random.Next(0, 2)),
                    2 => "   ",
                    3 => url ? "ftp://example.com/image.png" : "a blue circle",
                    4 => url ? "not a url" : "midjourney",
                    _ => "https://example.com/other.png",
                };
            }
        }
    }

    /// <summary>Moves the step count to the other name the pages use, or sends both.</summary>
    private static void StepName(Random random, JsonObject body, List<string> tags)
    {
        var present = StepNames.FirstOrDefault(body.ContainsKey) ?? StepNames[0];
        var other = StepNames.First(n => n != present);
        var value = body[present]?.DeepClone() ?? "30";
        if (random.NextDouble() < 0.5)
        {
            body.Remove(present);
            body[other] = value;
            tags.Add("steps-renamed");
        }
        else
        {
            var same = random.NextDouble() < 0.5;
            body[other] = same ? value : "99";
            tags.Add("steps-both");
            if (!same) tags.Add("number-as-string");
        }
    }

    /// <summary>LoRA ids and strengths with n and m items (pairing rule), strengths in and out of range.</summary>
    private static void LoraPair(Random random, JsonObject body, List<string> tags)
    {
        var ids = random.Next(1, 4);
        var strengths = random.NextDouble() < 0.5 ? ids : random.Next(0, 4);
        body["lora_model"] = string.Join(",", Enumerable.Range(0, ids).Select(i => LoraIds[i]));
        if (strengths == 0)
            body.Remove("lora_strength");
        else
            body["lora_strength"] = string.Join(",", Enumerable.Range(0, strengths).Select(_ => random.NextDouble() < 0.9 ? "0.6" : "1.5"));
        tags.Add("lora-pairing");
    }
}
