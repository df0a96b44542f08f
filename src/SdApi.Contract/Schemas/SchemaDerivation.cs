using System.Text.Json.Nodes;
using SdApi.Contract.Spec;

namespace SdApi.Contract.Schemas;

/// <summary>
/// Turns an OpenAPI 3.0 schema from openapi.yaml into a self-contained JSON Schema (draft 7) that WireMock's
/// <c>matchesJsonSchema</c> (schemaVersion V7) and NJsonSchema both read:
/// <list type="bullet">
/// <item><c>$ref: #/components/schemas/X</c> becomes <c>#/definitions/X</c>, with every reachable schema copied into
/// <c>definitions</c> (so recursive schemas stay finite);</item>
/// <item><c>nullable: true</c> becomes a type array with "null" (or <c>anyOf [..., {type: null}]</c> when there is no
/// <c>type</c>), and adds null to an <c>enum</c>;</item>
/// <item>boolean <c>exclusiveMinimum/Maximum</c> become the numeric draft-6+ form;</item>
/// <item>a <c>discriminator</c> mapping becomes an explicit <c>enum</c> on the property in each branch, so
/// <c>oneOf</c> picks exactly the branch the mapping names;</item>
/// <item><c>x-</c> extensions and OpenAPI-only keywords (example, discriminator, xml, externalDocs, deprecated,
/// readOnly, writeOnly) and non-JSON-Schema formats (int32, int64, float, double, byte, binary, password) are dropped.</item>
/// </list>
/// </summary>
public sealed class SchemaDerivation(ContractSpec spec)
{
    public const string DraftUri = "http://json-schema.org/draft-07/schema#";
    private const string ComponentPrefix = "#/components/schemas/";

    private static readonly HashSet<string> DroppedKeywords = new(StringComparer.Ordinal)
    {
        "nullable", "discriminator", "example", "examples", "xml", "externalDocs", "deprecated", "readOnly", "writeOnly",
    };

    private static readonly HashSet<string> DroppedFormats = new(StringComparer.Ordinal)
    {
        "int32", "int64", "float", "double", "byte", "binary", "password",
    };

    /// <summary>A standalone schema for the component named <paramref name="schemaName"/>.</summary>
    public JsonObject ForComponent(string schemaName) => Derive(new JsonObject { ["$ref"] = ComponentPrefix + schemaName });

    /// <summary>A standalone schema for any schema node of the spec (a <c>$ref</c> or an inline schema).</summary>
    public JsonObject Derive(JsonNode schema)
    {
        var reachable = new SortedDictionary<string, JsonNode>(StringComparer.Ordinal);
        var pending = new Queue<string>();
        JsonNode root;
        if (schema is JsonObject o && o["$ref"] is JsonValue r && r.GetValue<string>().StartsWith(ComponentPrefix, StringComparison.Ordinal))
        {
            // Inline the referenced schema at the root, and keep it in definitions too (it may refer to itself).
            var name = r.GetValue<string>()[ComponentPrefix.Length..];
            root = Convert(spec.Resolve(ComponentPrefix + name), pending);
            pending.Enqueue(name);
        }
        else
        {
            root = Convert(schema, pending);
        }

        while (pending.TryDequeue(out var name))
        {
            if (reachable.ContainsKey(name)) continue;
            reachable[name] = JsonValue.Create(true); // placeholder, stops cycles
            reachable[name] = Convert(spec.Resolve(ComponentPrefix + name), pending);
        }

        var result = new JsonObject { ["$schema"] = DraftUri };
        if (root is JsonObject rootObject)
            foreach (var (key, value) in rootObject)
                result[key] = value?.DeepClone();
        else
            result["allOf"] = new JsonArray(root.DeepClone());
        if (reachable.Count > 0)
        {
            var definitions = new JsonObject();
            foreach (var (name, value) in reachable)
                definitions[name] = value.DeepClone();
            result["definitions"] = definitions;
        }
        return result;
    }

    private JsonNode Convert(JsonNode? node, Queue<string> pending)
    {
        if (node is not JsonObject source)
            return node?.DeepClone() ?? new JsonObject(); // boolean schemas stay as they are

        var target = new JsonObject();
        foreach (var (key, value) in source)
        {
            if (key.StartsWith("x-", StringComparison.Ordinal) || DroppedKeywords.Contains(key)) continue;
            switch (key)
            {
                case "$ref":
                    var reference = value!.GetValue<string>();
                    if (!reference.StartsWith(ComponentPrefix, StringComparison.Ordinal))
                        throw new NotSupportedException($"Unsupported $ref '{reference}'.");
                    pending.Enqueue(reference[ComponentPrefix.Length..]);
                    target["$ref"] = "#/definitions/" + reference[ComponentPrefix.Length..];
                    break;
                case "properties" or "patternProperties" or "definitions":
                    var map = new JsonObject();
                    foreach (var (name, sub) in value as JsonObject ?? [])
                        map[name] = Convert(sub, pending);
                    target[key] = map;
                    break;
                case "items" when value is JsonArray tuple:
                    target[key] = new JsonArray(tuple.Select(s => Convert(s, pending)).ToArray());
                    break;
                case "items" or "additionalProperties" or "not":
                    target[key] = Convert(value, pending);
                    break;
                case "allOf" or "anyOf" or "oneOf":
                    target[key] = ConvertBranches(source, (JsonArray)value!, pending);
                    break;
                case "exclusiveMinimum" or "exclusiveMaximum" when value is JsonValue flag && flag.TryGetValue(out bool exclusive):
                    var bound = source[key == "exclusiveMinimum" ? "minimum" : "maximum"];
                    if (exclusive && bound is not null) target[key] = bound.DeepClone();
                    break;
                case "minimum" or "maximum" when IsExclusive(source, key):
                    break; // moved into exclusiveMinimum/Maximum above
                case "format" when value is JsonValue f && DroppedFormats.Contains(f.ToString()):
                    break;
                default:
                    target[key] = value?.DeepClone();
                    break;
            }
        }

        if (source["nullable"] is JsonValue nullable && nullable.TryGetValue(out bool isNullable) && isNullable)
            return MakeNullable(target);
        return target;
    }

    private static bool IsExclusive(JsonObject source, string bound) =>
        source[bound == "minimum" ? "exclusiveMinimum" : "exclusiveMaximum"] is JsonValue v && v.TryGetValue(out bool b) && b;

    /// <summary>Branches of allOf/anyOf/oneOf; with a discriminator, each branch also pins the property's value.</summary>
    private JsonArray ConvertBranches(JsonObject owner, JsonArray branches, Queue<string> pending)
    {
        var discriminator = owner["discriminator"] as JsonObject;
        var property = discriminator?["propertyName"]?.GetValue<string>();
        var result = new JsonArray();
        foreach (var branch in branches)
        {
            var converted = Convert(branch, pending);
            var reference = (branch as JsonObject)?["$ref"]?.GetValue<string>();
            if (property is null || reference is null)
            {
                result.Add(converted);
                continue;
            }
            var values = DiscriminatorValues(discriminator!, reference);
            result.Add(new JsonObject
            {
                ["allOf"] = new JsonArray(
                    converted,
                    new JsonObject
                    {
                        ["required"] = new JsonArray(property),
                        ["properties"] = new JsonObject
                        {
                            [property] = new JsonObject { ["enum"] = new JsonArray(values.Select(v => (JsonNode)JsonValue.Create(v)!).ToArray()) },
                        },
                    }),
            });
        }
        return result;
    }

    private static List<string> DiscriminatorValues(JsonObject discriminator, string reference)
    {
        var values = (discriminator["mapping"] as JsonObject ?? [])
            .Where(m => m.Value?.GetValue<string>() is string target
                        && (target == reference || ComponentPrefix + target == reference))
            .Select(m => m.Key)
            .ToList();
        if (values.Count == 0)
            values.Add(reference[(reference.LastIndexOf('/') + 1)..]); // OpenAPI's implicit mapping: the schema name
        return values;
    }

    private static JsonNode MakeNullable(JsonObject schema)
    {
        if (schema["enum"] is JsonArray values && !values.Any(v => v is null))
            values.Add(null);
        switch (schema["type"])
        {
            case JsonValue single:
                schema["type"] = new JsonArray(single.GetValue<string>(), "null");
                return schema;
            case JsonArray many:
                if (!many.Any(t => t?.GetValue<string>() == "null")) many.Add("null");
                return schema;
            default:
                return new JsonObject { ["anyOf"] = new JsonArray(schema, new JsonObject { ["type"] = "null" }) };
        }
    }
}
