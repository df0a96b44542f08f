using System.Text.Json.Nodes;

namespace SdApi.SpecDiff.Compare;

/// <summary>The JSON Schema constraints of one wire branch: bounds, steps, lengths, enum values, pattern, format.</summary>
internal static class ConstraintComparer
{
    public static void Compare(ChangeCollector sink, JsonObject old, JsonObject @new, string location, string what, Direction direction, string? kind)
    {
        Bound(sink, old, @new, location, what, direction, "maximum", "exclusiveMaximum", upper: true);
        Bound(sink, old, @new, location, what, direction, "minimum", "exclusiveMinimum", upper: false);
        BoundComparer.Step(sink, direction, "multiple-of", location, NodeValues.Number(old["multipleOf"]), NodeValues.Number(@new["multipleOf"]), what);
        BoundComparer.Upper(sink, direction, "max-length", location, NodeValues.Number(old["maxLength"]), NodeValues.Number(@new["maxLength"]), what);
        BoundComparer.Lower(sink, direction, "min-length", location, NodeValues.Number(old["minLength"]), NodeValues.Number(@new["minLength"]), what);
        BoundComparer.Upper(sink, direction, "max-items", location, NodeValues.Number(old["maxItems"]), NodeValues.Number(@new["maxItems"]), what);
        BoundComparer.Lower(sink, direction, "min-items", location, NodeValues.Number(old["minItems"]), NodeValues.Number(@new["minItems"]), what);
        Enum(sink, old["enum"], @new["enum"], location, what, direction, kind);
        Text(sink, old, @new, "pattern", location, what, direction);
        Text(sink, old, @new, "format", location, what, direction);
    }

    private static void Bound(ChangeCollector sink, JsonObject old, JsonObject @new, string location, string what, Direction direction,
        string name, string exclusiveName, bool upper)
    {
        var (o, n) = (NodeValues.Number(old[name]), NodeValues.Number(@new[name]));
        if (o != n)
        {
            if (upper)
                BoundComparer.Upper(sink, direction, name, location, o, n, what);
            else
                BoundComparer.Lower(sink, direction, name, location, o, n, what);
            return;
        }
        var (oldExclusive, newExclusive) = (NodeValues.Flag(old[exclusiveName]), NodeValues.Flag(@new[exclusiveName]));
        if (n is null || oldExclusive == newExclusive)
            return;
        if (newExclusive)
            sink.Narrowed(direction, $"{name}-exclusive", location, $"{what}: {name} {NodeValues.Show(n)} is now exclusive");
        else
            sink.Widened(direction, $"{name}-inclusive", location, $"{what}: {name} {NodeValues.Show(n)} is now inclusive");
    }

    private static void Enum(ChangeCollector sink, JsonNode? oldEnum, JsonNode? newEnum, string location, string what, Direction direction, string? kind)
    {
        if (oldEnum is null && newEnum is null)
            return;
        var oldValues = NodeValues.Items(oldEnum);
        var newValues = NodeValues.Items(newEnum);
        var (o, n) = (NodeValues.List(oldValues), NodeValues.List(newValues));
        if (oldEnum is null)
        {
            sink.Narrowed(direction, "enum-added", location, $"{what}: now limited to {n}", null, n);
            return;
        }
        if (newEnum is null)
        {
            sink.Widened(direction, "enum-removed", location, $"{what}: no longer limited to {o}", o, null);
            return;
        }
        var removed = oldValues.Where(v => !newValues.Any(w => NodeValues.SameValue(v, w))).ToList();
        var added = newValues.Where(v => !oldValues.Any(w => NodeValues.SameValue(v, w))).ToList();
        if (removed.Count > 0)
            sink.Narrowed(direction, "enum-value-removed", location, $"{what}: {NodeValues.List(removed)} no longer allowed", o, n);
        if (added.Count == 0)
            return;
        // The generated `enum` kind is an open string-backed struct that keeps unknown values, so a new value
        // does not break callers that read it.
        if (direction == Direction.Response && kind == "enum")
            sink.Safe("enum-value-added", location, $"{what}: {NodeValues.List(added)} added (the generated enum keeps unknown values)", o, n);
        else
            sink.Widened(direction, "enum-value-added", location, $"{what}: {NodeValues.List(added)} added", o, n);
    }

    private static void Text(ChangeCollector sink, JsonObject old, JsonObject @new, string name, string location, string what, Direction direction)
    {
        var (o, n) = (NodeValues.Text(old[name]), NodeValues.Text(@new[name]));
        if (o == n)
            return;
        if (n is null)
            sink.Widened(direction, $"{name}-removed", location, $"{what}: {name} '{o}' removed", o, n);
        else
            // A changed pattern or format cannot be proven looser, so it counts as narrowing.
            sink.Narrowed(direction, o is null ? $"{name}-added" : $"{name}-changed", location, $"{what}: {name} '{o ?? "none"}' -> '{n}'", o, n);
    }
}
