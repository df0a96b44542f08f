using System.Text.Json.Nodes;

namespace SdApi.SpecDiff.Compare;

/// <summary>Compares the x-sdapi-rules lists of a schema rule by rule id (spec/CONVENTIONS.md lists the checks).
/// A new rule narrows what the generated validator accepts; a removed one widens it.</summary>
internal sealed class RuleComparer(ChangeCollector sink)
{
    public void Compare(JsonNode? oldRules, JsonNode? newRules, string location, Direction direction)
    {
        var oldById = ById(oldRules);
        var newById = ById(newRules);
        foreach (var (id, oldRule) in oldById)
        {
            var at = $"{location}#rule:{id}";
            if (!newById.TryGetValue(id, out var newRule))
                sink.Widened(direction, "rule-removed", at, $"{at}: the rule is removed ({Describe(oldRule)})", Describe(oldRule), null);
            else
                CompareRule(oldRule, newRule, at, direction);
        }
        foreach (var (id, newRule) in newById.Where(r => !oldById.ContainsKey(r.Key)))
        {
            var at = $"{location}#rule:{id}";
            sink.Narrowed(direction, "rule-added", at, $"{at}: a new rule ({Describe(newRule)})", null, Describe(newRule));
        }
    }

    private static Dictionary<string, JsonObject> ById(JsonNode? rules)
    {
        var result = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var rule in NodeValues.Items(rules).OfType<JsonObject>())
            result.TryAdd(NodeValues.Text(rule["id"]) ?? $"{NodeValues.Text(rule["check"])}:{NodeValues.Text(rule["field"])}", rule);
        return result;
    }

    private static string Describe(JsonObject rule)
    {
        var parameters = rule.Where(p => p.Key is not ("id" or "message" or "x-source"))
            .Select(p => $"{p.Key}={NodeValues.Show(p.Value)}");
        return string.Join(", ", parameters);
    }

    private void CompareRule(JsonObject old, JsonObject @new, string at, Direction direction)
    {
        var check = NodeValues.Text(@new["check"]);
        if (NodeValues.Text(old["check"]) != check || NodeValues.Text(old["field"]) != NodeValues.Text(@new["field"]))
        {
            sink.Breaking("rule-changed", at, ChangeCollector.Callers,
                $"{at}: the rule now checks something else ({Describe(old)} -> {Describe(@new)})", Describe(old), Describe(@new));
            return;
        }
        var what = $"{at} ({check} on {NodeValues.Text(@new["field"])})";
        switch (check)
        {
            case "range" or "list-items-range":
                BoundComparer.Upper(sink, direction, "rule-max", at, NodeValues.Number(old["max"]), NodeValues.Number(@new["max"]), what);
                BoundComparer.Lower(sink, direction, "rule-min", at, NodeValues.Number(old["min"]), NodeValues.Number(@new["min"]), what);
                break;
            case "multiple-of":
                BoundComparer.Step(sink, direction, "rule-step", at, NodeValues.Number(old["value"]), NodeValues.Number(@new["value"]), what);
                break;
            case "max-length" or "list-max-count":
                BoundComparer.Upper(sink, direction, "rule-max", at, NodeValues.Number(old["value"]), NodeValues.Number(@new["value"]), what);
                break;
            case "one-of":
                Values(old["values"], @new["values"], at, what, direction);
                break;
            case "url":
                Values(old["schemes"], @new["schemes"], at, what, direction);
                Base64Flag(old, @new, at, what, direction);
                break;
            case "required":
                break;
            default:
                // list-count-match and checks this tool does not know: any parameter change may narrow.
                if (Describe(old) != Describe(@new))
                    sink.Breaking("rule-changed", at, ChangeCollector.Callers, $"{what}: {Describe(old)} -> {Describe(@new)}", Describe(old), Describe(@new));
                break;
        }
        var (oldMessage, newMessage) = (NodeValues.Text(old["message"]), NodeValues.Text(@new["message"]));
        if (oldMessage != newMessage)
            sink.Safe("rule-message-changed", at, $"{at}: the error message changes to \"{newMessage}\"", oldMessage, newMessage);
    }

    /// <summary>one-of values (numbers numerically, strings case-insensitively, as the rule compares) and url schemes.</summary>
    private void Values(JsonNode? oldValues, JsonNode? newValues, string at, string what, Direction direction)
    {
        var (o, n) = (NodeValues.Items(oldValues), NodeValues.Items(newValues));
        var removed = o.Where(v => !n.Any(w => NodeValues.SameValue(v, w, ignoreCase: true))).ToList();
        var added = n.Where(v => !o.Any(w => NodeValues.SameValue(v, w, ignoreCase: true))).ToList();
        if (removed.Count > 0)
            sink.Narrowed(direction, "rule-value-removed", at, $"{what}: {NodeValues.List(removed)} no longer allowed", NodeValues.List(o), NodeValues.List(n));
        if (added.Count > 0)
            sink.Widened(direction, "rule-value-added", at, $"{what}: {NodeValues.List(added)} now allowed", NodeValues.List(o), NodeValues.List(n));
    }

    private void Base64Flag(JsonObject old, JsonObject @new, string at, string what, Direction direction)
    {
        var (o, n) = (NodeValues.Text(old["or-base64-when"]), NodeValues.Text(@new["or-base64-when"]));
        if (o == n)
            return;
        if (n is null)
            sink.Narrowed(direction, "rule-base64-removed", at, $"{what}: base64 is no longer accepted (was allowed when {o} is yes)", o, n);
        else if (o is null)
            sink.Widened(direction, "rule-base64-added", at, $"{what}: base64 now accepted when {n} is yes", o, n);
        else
            sink.Breaking("rule-changed", at, ChangeCollector.Callers, $"{what}: base64 switch moves from {o} to {n}", o, n);
    }
}
