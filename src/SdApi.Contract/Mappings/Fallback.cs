using System.Text.Json.Nodes;
using SdApi.Contract.Spec;

namespace SdApi.Contract.Mappings;

/// <summary>Answers for stubs whose shape the spec shows no example of; written in the API's documented shapes
/// (a contract test checks them against the spec's response schemas too).</summary>
internal static class Fallback
{
    public static JsonObject Success() => new()
    {
        ["status"] = "success",
        ["generationTime"] = 1.0,
        ["id"] = 1,
        ["output"] = new JsonArray("https://example.invalid/generations/1.png"),
        ["proxy_links"] = new JsonArray("https://example.invalid/generations/1.png"),
        ["meta"] = new JsonObject(),
    };

    public static JsonObject Processing() => new()
    {
        ["status"] = "processing",
        ["tip"] = "Your image is processing in background, you can get this image using fetch API",
        ["eta"] = 10,
        ["messege"] = "Try to fetch request after given estimated time",
        ["fetch_result"] = "https://example.invalid/api/v4/dreambooth/fetch/1",
        ["id"] = 1,
        ["output"] = new JsonArray(),
        ["future_links"] = new JsonArray("https://example.invalid/generations/1.png"),
    };

    public static JsonObject Error() => new() { ["status"] = "error", ["message"] = "Something went wrong" };

    public static JsonObject Failed() => new() { ["status"] = "failed", ["id"] = "", ["message"] = "Failed, Try Again", ["output"] = "" };

    public static JsonObject RateLimit() => new()
    {
        ["status"] = "error",
        ["message"] = "Rate limit exceeded. Maximum 5 queued requests allowed.",
        ["retry_after"] = 30,
    };

    public static JsonObject ServerError(string message) => new() { ["status"] = "error", ["message"] = message };

    /// <summary>The validation-error shape naming the first rule's field of the operation's request schema.</summary>
    public static JsonObject ValidationError(ContractSpec spec, SpecOperation operation)
    {
        var field = "key";
        var message = "The key field is required.";
        if (operation.RequestSchema is not null && spec.Deref(operation.RequestSchema)["x-sdapi-rules"] is JsonArray rules
            && rules.FirstOrDefault() is JsonObject rule)
        {
            field = rule["field"]?.GetValue<string>() ?? field;
            message = rule["message"]?.GetValue<string>() ?? message;
        }
        return new JsonObject { ["status"] = "error", ["message"] = new JsonObject { [field] = new JsonArray(message) } };
    }
}
