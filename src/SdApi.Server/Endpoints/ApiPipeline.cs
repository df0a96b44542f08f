using System.Text.Json;
using SdApi.Server.Auth;
using SdApi.Server.Errors;
using SdApi.Server.Generation;

namespace SdApi.Server.Endpoints;

/// <summary>What every operation does once its body is read and checked against the spec's rules: a missing key is a
/// 401 in the validation shape, a wrong key 401 "Invalid Api Key", other rule failures 400, then the handler for the
/// operation's x-sdapi-kind.</summary>
public static class ApiPipeline
{
    public static async Task<ApiReply> HandleAsync(HttpContext http, string operationId, string kind, string? id, JsonElement body,
        IReadOnlyDictionary<string, List<string>>? errors)
    {
        var services = http.RequestServices;
        var ct = http.RequestAborted;
        if (errors is { Count: > 0 } && errors.ContainsKey("key"))
            return ApiError.Fields(errors, StatusCodes.Status401Unauthorized);
        var key = RequestFields.String(body, "key");
        if (!services.GetRequiredService<ApiKeyStore>().IsValid(key))
            return ApiError.Message(StatusCodes.Status401Unauthorized, ApiError.InvalidKey);
        if (errors is { Count: > 0 })
            return ApiError.Fields(errors);
        return kind switch
        {
            "generate" => await services.GetRequiredService<GenerateHandler>().HandleAsync(operationId, key!, body, http.Request, ct),
            "fetch" => await services.GetRequiredService<FetchHandler>().HandleAsync(key!, id, body, ct),
            _ => await services.GetRequiredService<ModelReloadHandler>().HandleAsync(body, ct),
        };
    }
}
