using System.Text.Json.Nodes;
using SdApi.Contract.Spec;

namespace SdApi.Contract.Tests.Harness;

/// <summary>Per-test WireMock stubs (priority 0, above the spec-derived ones), selected by the body's key.</summary>
public static class Stubs
{
    public static JsonObject Answer(SpecOperation operation, string key, int status, JsonNode body, double? delaySeconds = null)
    {
        var request = new JsonObject
        {
            ["method"] = "POST",
            ["bodyPatterns"] = new JsonArray(new JsonObject
            {
                ["matchesJsonPath"] = new JsonObject { ["expression"] = "$.key", ["equalTo"] = key },
            }),
        };
        request[operation.TemplateParameters().Any() ? "urlPathTemplate" : "urlPath"] = operation.Path;
        var response = new JsonObject
        {
            ["status"] = status,
            ["headers"] = new JsonObject { ["Content-Type"] = "application/json" },
            ["jsonBody"] = body.DeepClone(),
        };
        if (delaySeconds is double d) response["fixedDelayMilliseconds"] = (int)(d * 1000);
        return new JsonObject
        {
            ["name"] = $"test: {operation.OperationId} {key} -> {status}",
            ["priority"] = 0,
            ["request"] = request,
            ["response"] = response,
        };
    }

    /// <summary>A processing answer with the given eta whose fetch_result points at fetch/{id} of the same version.</summary>
    public static JsonObject Processing(double eta) => new()
    {
        ["status"] = "processing",
        ["tip"] = "Your image is processing in background",
        ["eta"] = eta,
        ["messege"] = "Try to fetch request after given estimated time",
        ["id"] = 29763508,
        ["output"] = new JsonArray(),
        ["future_links"] = new JsonArray("https://example.com/generations/29763508-0.png"),
    };
}
