namespace SdApi.Bindings;

/// <summary>One request-body field of an operation as the generated <c>SdApiOperations</c> catalog lists it: its wire
/// name, its <c>x-sdapi-kind</c> (<c>integer</c>, <c>yes-no</c>, <c>image</c>, ...) and the spec's description.</summary>
public sealed record SdApiField(string WireName, string Kind, string? Description);
