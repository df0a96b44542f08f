using System.Text.Json;
using SdApi.Bindings;
using SdApi.Server.Errors;
using SdApi.Server.Models;

namespace SdApi.Server.Endpoints;

/// <summary>model_reload: starts reloading an evicted model; it is usable once the reload time has passed. Answers with the
/// generated outcome models; <c>model_id</c> (and success's <c>message</c>), which the spec's outcomes do not name, are
/// extra members.</summary>
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
            ModelAvailability.Reloading => new ApiReply(StatusCodes.Status200OK, new ProcessingResponse
            {
                Status = "processing",
                Message = $"Model {modelId} is reloading; it will be ready in about {Math.Ceiling(remaining.TotalSeconds)} seconds.",
                Eta = Math.Ceiling(remaining.TotalSeconds),
                AdditionalProperties = new Dictionary<string, JsonElement> { ["model_id"] = Text(modelId) },
            }),
            _ => new ApiReply(StatusCodes.Status200OK, new SuccessResponse
            {
                Status = "success",
                AdditionalProperties = new Dictionary<string, JsonElement>
                {
                    ["message"] = Text($"Model {modelId} is loaded."),
                    ["model_id"] = Text(modelId),
                },
            }),
        };
    }

    private static JsonElement Text(string value) => JsonSerializer.SerializeToElement(value, Jobs.JsonContext.Default.String);
}
