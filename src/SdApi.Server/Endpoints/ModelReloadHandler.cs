using System.Text.Json.Nodes;
using SdApi.Server.Errors;
using SdApi.Server.Models;

namespace SdApi.Server.Endpoints;

/// <summary>model_reload: starts reloading an evicted model; it is usable once the reload time has passed.</summary>
public sealed class ModelReloadHandler(ModelCatalog models)
{
    public async Task<ApiReply> HandleAsync(string? modelId, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(modelId))
            return ApiError.Field("model_id", "The model id field is required.");
        var (state, remaining) = await models.ReloadAsync(modelId, ct);
        return state switch
        {
            ModelAvailability.NotFound => ApiError.Message(StatusCodes.Status404NotFound, $"Model not found: {modelId}"),
            ModelAvailability.Reloading => ApiError.Json(StatusCodes.Status200OK, new JsonObject
            {
                ["status"] = "processing",
                ["messege"] = $"Model {modelId} is reloading; it will be ready in about {Math.Ceiling(remaining.TotalSeconds)} seconds.",
                ["eta"] = Math.Ceiling(remaining.TotalSeconds),
                ["model_id"] = modelId,
            }),
            _ => ApiError.Json(StatusCodes.Status200OK, new JsonObject
            {
                ["status"] = "success",
                ["message"] = $"Model {modelId} is loaded.",
                ["model_id"] = modelId,
            }),
        };
    }
}
