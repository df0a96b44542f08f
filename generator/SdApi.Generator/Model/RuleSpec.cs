namespace SdApi.Generator.Model;

/// <summary>One <c>x-sdapi-rules</c> item (see spec/CONVENTIONS.md, "Rules").</summary>
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
    string Message);
