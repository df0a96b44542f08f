using System.Text.Json.Nodes;

namespace SdApi.Contract.Prism;

/// <summary>What Prism said about one proxied exchange: request violations (Prism answered 422 itself, naming body
/// fields) and response violations (the upstream's answer broke the spec), read from the problem+json body and the
/// <c>sl-violations</c> header.</summary>
public sealed record PrismAnswer(IReadOnlyList<PrismViolation> RequestViolations, IReadOnlyList<PrismViolation> ResponseViolations)
{
    public static PrismAnswer Read(int httpStatus, string? mediaType, string body, IEnumerable<string> violationHeaders)
    {
        var request = new List<PrismViolation>();
        var response = new List<PrismViolation>();
        if (mediaType == "application/problem+json" && TryParse(body) is JsonObject problem)
        {
            var type = problem["type"]?.GetValue<string>() ?? "";
            var target = type.EndsWith("#UNPROCESSABLE_ENTITY", StringComparison.Ordinal) ? request : response;
            var items = (problem["validation"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            if (items.Count == 0)
                target.Add(new PrismViolation([], "", $"HTTP {httpStatus} {type}: {problem["detail"]?.GetValue<string>()}"));
            target.AddRange(items.Select(Violation));
        }
        foreach (var header in violationHeaders)
            if (TryParse(header) is JsonArray list)
                foreach (var item in list.OfType<JsonObject>())
                {
                    var violation = Violation(item);
                    (violation.Location.FirstOrDefault() is "request" or "body" or "path" or "query" or "header" ? request : response).Add(violation);
                }
        return new PrismAnswer(request, response);
    }

    private static PrismViolation Violation(JsonObject item) => new(
        (item["location"] as JsonArray ?? []).Select(l => l?.ToString() ?? "").ToList(),
        item["code"]?.ToString() ?? "",
        item["message"]?.GetValue<string>() ?? item.ToJsonString());

    private static JsonNode? TryParse(string text)
    {
        try
        {
            return string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}

/// <summary>One violation; <see cref="Location"/> is e.g. ["body", "num_inference_steps"].</summary>
public sealed partial record PrismViolation(IReadOnlyList<string> Location, string Code, string Message)
{
    /// <summary>The top-level body field the violation is about, when it is about one (a missing required property
    /// is reported at ["body"], its name only in the message).</summary>
    public string? Field => Location.Count > 1 && Location[0] == "body" ? Location[1]
        : Location is ["body"] && RequiredProperty().Match(Message) is { Success: true } m ? m.Groups[1].Value
        : null;

    [System.Text.RegularExpressions.GeneratedRegex("required property '([^']+)'")]
    private static partial System.Text.RegularExpressions.Regex RequiredProperty();

    public override string ToString() => $"{string.Join('.', Location)}: {Message}";
}
