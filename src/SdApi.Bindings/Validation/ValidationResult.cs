using System.Text.Json;
using SdApi.Bindings.Json;

namespace SdApi.Bindings.Validation;

/// <summary>One broken rule: the field the API names, the rule id (spec/rules.md) and the API's message.</summary>
public sealed record RuleViolation(string Field, string RuleId, string Message);

/// <summary>Every violation of a request at once, keyed by field, writable in the API's validation-error shape
/// <c>{"status":"error","message":{"field":["..."]}}</c>.</summary>
public sealed class ValidationResult : IJsonWritable
{
    private static readonly JsonEncodedText StatusName = JsonEncodedText.Encode("status");
    private static readonly JsonEncodedText MessageName = JsonEncodedText.Encode("message");

    internal ValidationResult(IReadOnlyList<RuleViolation> violations)
    {
        Violations = violations;
        var errors = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var v in violations)
        {
            if (!errors.TryGetValue(v.Field, out var list)) errors[v.Field] = list = new List<string>();
            var messages = (List<string>)list;
            if (!messages.Contains(v.Message)) messages.Add(v.Message);
        }
        Errors = errors;
    }

    public static ValidationResult Valid { get; } = new(Array.Empty<RuleViolation>());

    public bool IsValid => Violations.Count == 0;

    /// <summary>Every violation, in rule order.</summary>
    public IReadOnlyList<RuleViolation> Violations { get; }

    /// <summary>Field -> messages (the <c>message</c> object of the API's answer), fields in first-violation order.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Errors { get; }

    public void WriteJson(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString(StatusName, "error");
        WireWriter.WriteMessage(writer, MessageName, null, Errors);
        writer.WriteEndObject();
    }

    public byte[] ToJsonUtf8() => WireWriter.ToUtf8(this);

    public string ToJson() => System.Text.Encoding.UTF8.GetString(ToJsonUtf8());

    public override string ToString() => IsValid ? "valid" : ToJson();
}

/// <summary>A generated request model that can check its own rules.</summary>
public interface IValidatable
{
    ValidationResult Validate();
}

/// <summary>Collects violations for one <see cref="ValidationResult"/> (used by generated <c>Validate()</c> methods).</summary>
public sealed class ValidationBuilder
{
    private List<RuleViolation>? _violations;

    public void Add(string field, string ruleId, string message)
        => (_violations ??= new List<RuleViolation>()).Add(new RuleViolation(field, ruleId, message));

    public bool Has(string field)
    {
        if (_violations is null) return false;
        foreach (var v in _violations)
            if (v.Field == field) return true;
        return false;
    }

    public ValidationResult Build() => _violations is null ? ValidationResult.Valid : new ValidationResult(_violations);
}
