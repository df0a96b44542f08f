namespace SdApi.Generator.Model;

/// <summary>One <c>x-sdapi-rules</c> item (see spec/CONVENTIONS.md, "Rules"). <see cref="Severity"/> is <c>error</c>
/// (refuses the request) or <c>warning</c> (the request passes, the caller is told). <see cref="Effective"/> is set on a
/// <c>same-value</c> rule only: the snake_case name of the one typed value the two field names carry.</summary>
internal sealed record RuleSpec(
    string Id,
    string Field,
    string Check,
    string? Min,
    string? Max,
    string? Value,
    EquatableArray<string> Values,
    string? With,
    EquatableArray<string> Schemes,
    string? OrBase64When,
    string Message,
    string Severity = RuleSpec.Error,
    string? Effective = null)
{
    public const string Error = "error";
    public const string Warning = "warning";

    public bool IsWarning => Severity == Warning;
}
