using System.Text.Json;
using System.Text.Json.Nodes;
using SdApi.Server.Errors;
using SdApi.Server.Generation;
using SdApi.Server.Models;

namespace SdApi.Server.Endpoints;

/// <summary>model_reload: starts reloading an evicted model; it is usable once the reload time has passed.</summary>
public sealed class ModelReloadHandler(ModelCatalog models)
{
    public async Task<IResult> HandleAsync(JsonElement body, CancellationToken ct)
    {
        var modelId = RequestFields.String(body, "model_id");
        if (string.IsNullOrWhiteSpace(modelId))
            return ApiError.Field("model_id", "The model id field is required.");
        if (models.Strict && !models.IsKnownModel(modelId))
            return ApiError.Message(StatusCodes.Status404NotFound, $"Model not found: {modelId}");
        var reloadTime = await models.ReloadAsync(modelId, ct);
        return ApiError.Json(StatusCodes.Status200OK, new JsonObject
        {
            ["status"] = "success",
            ["message"] = "Model reload started; it will be ready in about " + Math.Ceiling(reloadTime.TotalSeconds) + " seconds.",
            ["eta"] = Math.Ceiling(reloadTime.TotalSeconds),
        });
    }
}
