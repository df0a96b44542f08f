using System.Text.Json.Nodes;
using SdApi.SpecDiff.Reading;

namespace SdApi.SpecDiff.Compare;

/// <summary>Walks an older and a newer schema side by side: discriminated unions (the Outcome), object properties,
/// and each field's wire shape (types, x-sdapi-kind, bounds, enums, nullability) plus its x-sdapi-rules.</summary>
internal sealed class SchemaComparer(SpecDocument oldSpec, SpecDocument newSpec, ChangeCollector sink)
{
    private readonly HashSet<string> _visited = [];
    private readonly RuleComparer _rules = new(sink);

    /// <summary>Starts a new operation: shared schemas are walked again so that each operation is listed.</summary>
    public void BeginOperation() => _visited.Clear();

    public void Compare(JsonNode? oldNode, JsonNode? newNode, string location, Direction direction)
    {
        var (oldResolved, oldName) = oldSpec.Resolve(oldNode);
        var (newResolved, newName) = newSpec.Resolve(newNode);
        if (oldResolved is null || newResolved is null)
            return;
        var (oldSchema, newSchema) = (Effective(oldSpec, oldResolved), Effective(newSpec, newResolved));
        if (oldName is not null && newName is not null && oldName != newName)
            sink.Breaking("type-renamed", location, ChangeCollector.Both,
                $"{location}: the generated type is renamed from {oldName} to {newName}", oldName, newName);
        var here = newName ?? oldName ?? location;
        if (oldName is not null && !_visited.Add($"{direction}|{oldName}|{newName}"))
            return;

        if (IsDiscriminatedUnion(oldSchema) || IsDiscriminatedUnion(newSchema))
        {
            CompareUnion(oldSchema, newSchema, here, direction);
            return;
        }
        CompareKind(oldSchema, newSchema, here);
        CompareProperties(oldSchema, newSchema, here, direction);
        CompareShape(oldSchema, newSchema, here, direction);
        _rules.Compare(oldSchema["x-sdapi-rules"], newSchema["x-sdapi-rules"], here, direction);
    }

    private static bool IsDiscriminatedUnion(JsonObject schema) => schema["discriminator"] is JsonObject && schema["oneOf"] is JsonArray;

    private void CompareUnion(JsonObject oldSchema, JsonObject newSchema, string location, Direction direction)
    {
        var oldCases = UnionCases(oldSpec, oldSchema);
        var newCases = UnionCases(newSpec, newSchema);
        foreach (var (value, oldCase) in oldCases)
        {
            if (!newCases.TryGetValue(value, out var newCase))
            {
                sink.Breaking("outcome-removed", location, ChangeCollector.Both,
                    $"{location}: the '{value}' case is gone; callers switching on it and servers answering it break", value, null);
                continue;
            }
            Compare(oldCase, newCase, $"{location}[{value}]", direction);
        }
        foreach (var value in newCases.Keys.Where(v => !oldCases.ContainsKey(v)))
        {
            if (direction == Direction.Response)
                sink.Breaking("outcome-added", location, ChangeCollector.Callers,
                    $"{location}: a new '{value}' case; callers switching on the outcome meet a case they do not handle", null, value);
            else
                sink.Safe("outcome-added", location, $"{location}: a new '{value}' case", null, value);
        }
    }

    /// <summary>The cases of a discriminated oneOf by discriminator value: the mapping, else each branch's component name.</summary>
    private static Dictionary<string, JsonNode> UnionCases(SpecDocument spec, JsonObject schema)
    {
        var cases = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        if (schema["discriminator"]?["mapping"] is JsonObject mapping)
        {
            foreach (var (value, target) in mapping)
                if (target is not null)
                    cases[value] = new JsonObject { ["$ref"] = target.ToString() };
            return cases;
        }
        foreach (var branch in NodeValues.Items(schema["oneOf"]))
            if (spec.Resolve(branch).ComponentName is { } name && branch is not null)
                cases[name] = branch.DeepClone();
        return cases;
    }

    private void CompareKind(JsonObject oldSchema, JsonObject newSchema, string location)
    {
        var oldKind = NodeValues.Text(oldSchema["x-sdapi-kind"]);
        var newKind = NodeValues.Text(newSchema["x-sdapi-kind"]);
        if (oldKind != newKind)
            sink.Breaking("kind-changed", location, ChangeCollector.Both,
                $"{location}: x-sdapi-kind changed from {oldKind ?? "none"} to {newKind ?? "none"}, so the generated C# type changes",
                oldKind, newKind);
    }

    private void CompareProperties(JsonObject oldSchema, JsonObject newSchema, string location, Direction direction)
    {
        var oldProps = oldSchema["properties"] as JsonObject ?? [];
        var newProps = newSchema["properties"] as JsonObject ?? [];
        var oldRequired = Required(oldSchema);
        var newRequired = Required(newSchema);
        foreach (var (name, oldProp) in oldProps)
        {
            var at = $"{location}.{name}";
            if (!newProps.TryGetPropertyValue(name, out var newProp))
            {
                var who = direction == Direction.Request ? "callers that set it" : "callers that read it";
                sink.Breaking("field-removed", at, ChangeCollector.Callers, $"{at}: the field is removed; {who} no longer compile");
                continue;
            }
            if (!oldRequired.Contains(name) && newRequired.Contains(name))
                NowRequired("field-now-required", at, direction, "the field becomes required");
            else if (oldRequired.Contains(name) && !newRequired.Contains(name))
                sink.Widened(direction, "field-now-optional", at, $"{at}: the field is no longer required");
            Compare(oldProp, newProp, at, direction);
        }
        foreach (var (name, _) in newProps.Where(p => !oldProps.ContainsKey(p.Key)))
        {
            var at = $"{location}.{name}";
            if (newRequired.Contains(name))
                NowRequired("required-field-added", at, direction, "a new required field");
            else
                sink.Safe("field-added", at, $"{at}: a new optional field");
        }
    }

    /// <summary>A newly required field breaks callers in a request and servers (whose stubs must now fill it) in a response.</summary>
    private void NowRequired(string kind, string at, Direction direction, string what)
    {
        if (direction == Direction.Request)
            sink.Breaking(kind, at, ChangeCollector.Callers, $"{at}: {what}; requests without it are rejected");
        else
            sink.Breaking(kind, at, ChangeCollector.Servers, $"{at}: {what}; servers must now send it");
    }

    private static HashSet<string> Required(JsonObject schema) =>
        NodeValues.Items(schema["required"]).Select(NodeValues.Show).ToHashSet(StringComparer.Ordinal);

    /// <summary>Wire types (a oneOf of scalars is one field with several branches), their constraints, nullability, default.</summary>
    private void CompareShape(JsonObject oldSchema, JsonObject newSchema, string location, Direction direction)
    {
        var oldBranches = Branches(oldSpec, oldSchema);
        var newBranches = Branches(newSpec, newSchema);
        var removed = oldBranches.Keys.Where(t => !newBranches.ContainsKey(t)).ToList();
        var added = newBranches.Keys.Where(t => !oldBranches.ContainsKey(t)).ToList();
        var (o, n) = (string.Join("|", oldBranches.Keys), string.Join("|", newBranches.Keys));
        if (removed.Count > 0 && added.Count > 0)
            sink.Breaking("type-changed", location, ChangeCollector.Both, $"{location}: type changed from {o} to {n}", o, n);
        else if (removed.Count > 0)
            sink.Narrowed(direction, "type-narrowed", location, $"{location}: no longer accepts {string.Join("|", removed)} (type {o} -> {n})", o, n);
        else if (added.Count > 0)
            sink.Widened(direction, "type-widened", location, $"{location}: now also accepts {string.Join("|", added)} (type {o} -> {n})", o, n);

        foreach (var (type, oldBranch) in oldBranches)
        {
            if (!newBranches.TryGetValue(type, out var newBranch))
                continue;
            var what = oldBranches.Count > 1 ? $"{location} ({type})" : location;
            ConstraintComparer.Compare(sink, oldBranch, newBranch, location, what, direction, NodeValues.Text(newSchema["x-sdapi-kind"]));
            if (oldBranch != oldSchema || newBranch != newSchema)
                CompareProperties(Effective(oldSpec, oldBranch), Effective(newSpec, newBranch), location, direction);
            if (type == "array")
                Compare(oldBranch["items"], newBranch["items"], $"{location}[]", direction);
        }

        // CONVENTIONS: a oneOf field carries `nullable` on its first branch; either place makes null valid.
        var (oldNullable, newNullable) = (Nullable(oldSchema, oldBranches.Values), Nullable(newSchema, newBranches.Values));
        if (oldNullable && !newNullable)
            sink.Narrowed(direction, "nullable-removed", location, $"{location}: null is no longer allowed");
        else if (!oldNullable && newNullable)
            sink.Widened(direction, "nullable-added", location, $"{location}: null is now allowed");

        if (!NodeValues.DeepEquals(oldSchema["default"], newSchema["default"]))
            sink.Safe("default-changed", location,
                $"{location}: default changed from {NodeValues.Show(oldSchema["default"])} to {NodeValues.Show(newSchema["default"])}; callers that omit it get different results",
                NodeValues.Show(oldSchema["default"]), NodeValues.Show(newSchema["default"]));
    }

    private static bool Nullable(JsonObject schema, IEnumerable<JsonObject> branches) =>
        NodeValues.Flag(schema["nullable"]) || branches.Any(b => NodeValues.Flag(b["nullable"]));

    /// <summary>The schema with its allOf members merged in (properties, required, rules), as the generator flattens them.</summary>
    private static JsonObject Effective(SpecDocument spec, JsonObject schema)
    {
        if (schema["allOf"] is not JsonArray parts)
            return schema;
        var merged = (JsonObject)schema.DeepClone();
        merged.Remove("allOf");
        var properties = merged["properties"] as JsonObject ?? [];
        var required = merged["required"] as JsonArray ?? [];
        var rules = merged["x-sdapi-rules"] as JsonArray ?? [];
        foreach (var part in parts.Select(p => spec.Resolve(p).Node).OfType<JsonObject>().Select(p => Effective(spec, p)))
        {
            foreach (var (name, property) in part["properties"] as JsonObject ?? [])
                if (!properties.ContainsKey(name))
                    properties[name] = property?.DeepClone();
            foreach (var name in NodeValues.Items(part["required"]))
                required.Add(name?.DeepClone());
            foreach (var rule in NodeValues.Items(part["x-sdapi-rules"]))
                rules.Add(rule?.DeepClone());
            foreach (var key in new[] { "type", "x-sdapi-kind" })
                if (merged[key] is null && part[key] is { } value)
                    merged[key] = value.DeepClone();
        }
        if (merged["properties"] is null)
            merged["properties"] = properties;
        if (merged["required"] is null)
            merged["required"] = required;
        if (merged["x-sdapi-rules"] is null && rules.Count > 0)
            merged["x-sdapi-rules"] = rules;
        return merged;
    }

    /// <summary>The schema's branches by wire type: the oneOf/anyOf members when it is a plain union, else itself.</summary>
    private static Dictionary<string, JsonObject> Branches(SpecDocument spec, JsonObject schema)
    {
        var members = (schema["oneOf"] ?? schema["anyOf"]) is JsonArray union
            ? union.Select(m => spec.Resolve(m).Node).OfType<JsonObject>().ToList()
            : [schema];
        var branches = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var member in members)
        {
            var type = NodeValues.Text(member["type"]) ?? (member["properties"] is not null ? "object" : "any");
            var key = type;
            for (var i = 2; branches.ContainsKey(key); i++)
                key = $"{type}#{i}";
            branches[key] = member;
        }
        return branches;
    }
}
