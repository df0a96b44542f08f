using System.Text.Json;
using SdApi.Bindings.Json;

namespace SdApi.Bindings.Validation;

/// <summary>How a rule weighs (spec/CONVENTIONS.md, "Severity"): an <see cref="Error"/> refuses the request; a
/// <see cref="Warning"/> lets it through and tells the caller the value is doubtful.</summary>
public enum RuleSeverity
{
    Error,
    Warning,
}

/// <summary>One broken rule: the field the API names, the rule id (spec/rules.md), the API's message and whether it
/// refuses the request or only warns.</summary>
public sealed record RuleViolation(string Field, string RuleId, string Message, RuleSeverity Severity = RuleSeverity.Error);

/// <summary>Every violation of a request at once, keyed by field, writable in the API's validation-error shape
/// <c>{"status":"error","message":{"field":["..."]}}</c>, plus the warnings (rules of severity warning), which never
/// make a request invalid.</summary>
public sealed class ValidationResult : IJsonWritable
{
    private static readonly JsonEncodedText StatusName = JsonEncodedText.Encode("status");
    private static readonly JsonEncodedText MessageName = JsonEncodedText.Encode("message");

    internal ValidationResult(IReadOnlyList<RuleViolation> violations, IReadOnlyList<RuleViolation>? warnings = null)
    {
        Violations = violations;
        Warnings = warnings ?? Array.Empty<RuleViolation>();
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

    /// <summary>Every error, in rule order (warnings are in <see cref="Warnings"/>).</summary>
    public IReadOnlyList<RuleViolation> Violations { get; }

    /// <summary>Every warning, in rule order: values the API may serve but the spec finds doubtful (spec/rules.md says why).</summary>
    public IReadOnlyList<RuleViolation> Warnings { get; }

    public bool HasWarnings => Warnings.Count > 0;

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

    public override string ToString() => IsValid ? (HasWarnings ? "valid with warnings: " + string.Join("; ", Warnings.Select(w => $"{w.Field}: {w.Message}")) : "valid") : ToJson();
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
    private List<RuleViolation>? _warnings;

    public void Add(string field, string ruleId, string message)
        => (_violations ??= new List<RuleViolation>()).Add(new RuleViolation(field, ruleId, message));

    /// <summary>A rule of severity warning: recorded, the request stays valid.</summary>
    public void Warn(string field, string ruleId, string message)
        => (_warnings ??= new List<RuleViolation>()).Add(new RuleViolation(field, ruleId, message, RuleSeverity.Warning));

    public bool Has(string field)
    {
        if (_violations is null) return false;
        foreach (var v in _violations)
            if (v.Field == field) return true;
        return false;
    }

    public ValidationResult Build() => _violations is null && _warnings is null
        ? ValidationResult.Valid
        : new ValidationResult((IReadOnlyList<RuleViolation>?)_violations ?? Array.Empty<RuleViolation>(), _warnings);
}
