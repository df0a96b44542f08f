namespace SdApi.Bindings.Json;

/// <summary>A value the tolerant reader could not convert to the field's type (e.g. <c>"width": "abc"</c>).
/// Reading never throws for these; the validator reports them under <see cref="Field"/>.</summary>
public sealed record WireIssue(string Field, string Message);
