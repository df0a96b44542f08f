using System.Text.Json.Nodes;

namespace SdApi.Testing.Answers;

/// <summary>
/// The answer bodies of the exported WireMock mappings, per operation and behaviour (success, processing, error,
/// failed, rate-limit, server-error-503, server-error-500, bad-request): the spec's response examples as
/// <c>SdApi.Contract</c>'s MappingGenerator picks them. Embedded as <c>documented-responses.json</c>, written by
/// <c>tests/SdApi.Testing.Tests</c> (<c>SDAPI_UPDATE_MOCK_RESPONSES=1</c>), whose freshness test fails when the spec's
/// examples change and the file was not rewritten.
/// </summary>
internal static class DocumentedResponses
{
    public const string ResourceName = "SdApi.Testing.documented-responses.json";

    private static readonly Lazy<JsonObject> All = new(() =>
    {
        using var stream = typeof(DocumentedResponses).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"{ResourceName} is not embedded.");
        return JsonNode.Parse(stream)!.AsObject();
    });

    /// <summary>The body the mappings answer for <paramref name="behaviour"/> of the operation, as UTF-8 JSON.</summary>
    public static byte[] Body(string operationId, string behaviour)
    {
        var node = All.Value[operationId]?[behaviour]
            ?? throw new InvalidOperationException($"documented-responses.json has no '{behaviour}' answer for {operationId}.");
        return System.Text.Encoding.UTF8.GetBytes(node.ToJsonString());
    }
}
