using System.Text.Json;
using System.Text.Json.Nodes;

namespace SdApi.Contract.Verify;

/// <summary>What a provider's answer means for the contract: accepted (success or processing), a validation error
/// naming fields, another error (bad key, not found, rate limit, server error), or something unreadable.</summary>
public enum VerdictKind
{
    Accepted,
    ValidationError,
    OtherError,
    Unreadable,
}

/// <summary>The verdict of one answer; <see cref="Fields"/> are the fields a validation error names.</summary>
public sealed record Verdict(VerdictKind Kind, int HttpStatus, string? OutcomeStatus, IReadOnlyList<string> Fields, string Summary)
{
    /// <summary>Reads an HTTP answer the way the API words it: <c>status</c> in the body (most errors come with HTTP 200),
    /// and a validation error as <c>message</c>/<c>messege</c> holding an object of field -> messages.</summary>
    public static Verdict Read(int httpStatus, string body)
    {
        JsonNode? json;
        try
        {
            json = string.IsNullOrWhiteSpace(body) ? null : JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            json = null;
        }
        if (json is not JsonObject obj)
            return new Verdict(VerdictKind.Unreadable, httpStatus, null, [], $"HTTP {httpStatus}, body is not a JSON object: {Clip(body)}");

        var status = obj["status"] is JsonValue s && s.TryGetValue(out string? text) ? text : null;
        var message = obj["message"] ?? obj["messege"];
        if (message is JsonObject fields && fields.Count > 0)
            return new Verdict(VerdictKind.ValidationError, httpStatus, status, fields.Select(f => f.Key).ToList(),
                $"HTTP {httpStatus}, validation error on {string.Join(", ", fields.Select(f => f.Key))}");
        if (httpStatus is >= 200 and < 300 && status is "success" or "processing")
            return new Verdict(VerdictKind.Accepted, httpStatus, status, [], $"HTTP {httpStatus}, {status}");
        return new Verdict(VerdictKind.OtherError, httpStatus, status, [],
            $"HTTP {httpStatus}, status {status ?? "(none)"}: {Clip(message?.ToJsonString() ?? "")}")
        {
            Message = message is JsonValue m && m.TryGetValue(out string? sentence) ? sentence : null,
        };
    }

    /// <summary>Whether this is a refusal that names <paramref name="field"/>: a validation error listing it, or another
    /// error whose message mentions it (the API answers a missing key with HTTP 401 "Invalid Api Key", and some
    /// refusals with a sentence naming the field).</summary>
    public bool Rejects(string field) => Kind switch
    {
        VerdictKind.ValidationError => Fields.Contains(field, StringComparer.Ordinal),
        VerdictKind.OtherError => Message is string text
            && (text.Contains(field, StringComparison.OrdinalIgnoreCase) || text.Contains(field.Replace('_', ' '), StringComparison.OrdinalIgnoreCase)),
        _ => false,
    };

    /// <summary>The message when it is a sentence (not a field object).</summary>
    public string? Message { get; init; }

    private static string Clip(string text) => text.Length <= 160 ? text : text[..160] + "...";

    public override string ToString() => Summary;
}
