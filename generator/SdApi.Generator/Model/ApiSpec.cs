namespace SdApi.Generator.Model;

/// <summary>Everything the emitters need from openapi.yaml; no NSwag type survives the parse.</summary>
internal sealed record ApiSpec(
    string Title,
    string Version,
    EquatableArray<OperationSpec> Operations,
    EquatableArray<ModelSpec> Models,
    EquatableArray<EnumSpec> Enums,
    OutcomeSpec? Outcome,
    EquatableArray<OutcomeSpec> SubsetUnions,
    string? ErrorModel,
    string? WebhookModel,
    string? DefaultServer);

/// <summary>One POST operation: <c>operationId</c> = version + name, grouped by its tag.</summary>
internal sealed record OperationSpec(
    string OperationId,
    string Path,
    string Tag,
    string Name,
    string Kind,
    string? Summary,
    string RequestModel,
    string ResponseModel,
    EquatableArray<string> PathParameters);

/// <summary>A closed union of outcomes (<c>x-sdapi-outcome</c>): discriminator values and their models. The primary union
/// (the one operations answer) is a base record; others (e.g. WebhookPayload) must be subsets of it and read into it.</summary>
internal sealed record OutcomeSpec(
    string Name,
    string DiscriminatorJsonName,
    EquatableArray<OutcomeCaseSpec> Cases);

internal sealed record OutcomeCaseSpec(string Value, string Model);

/// <summary>A generated string-backed enum (<c>x-sdapi-kind: enum</c>).</summary>
internal sealed record EnumSpec(string Name, EquatableArray<string> Values);
