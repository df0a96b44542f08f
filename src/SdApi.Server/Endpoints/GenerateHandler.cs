using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using SdApi.Server.Auth;
using SdApi.Server.Configuration;
using SdApi.Server.Errors;
using SdApi.Server.Generation;
using SdApi.Server.Jobs;
using SdApi.Server.Models;
using SdApi.Server.Net;

namespace SdApi.Server.Endpoints;

/// <summary>text2img / img2img / inpaint (x-sdapi-kind: generate), after validation: check model and queue limits, load input
/// images, store the job, then answer <c>success</c> if it finishes within the sync budget, else <c>processing</c>.</summary>
public sealed class GenerateHandler(
    ModelCatalog models,
    JobStore store,
    JobQueue queue,
    QueueAdmission admission,
    JobCompletions completions,
    JobRunner runner,
    InputImages images,
    GuardedHttp guardedHttp,
    BaseUrl baseUrl,
    TimeProvider clock,
    IOptions<ServerOptions> options)
{
    private readonly ServerOptions _options = options.Value;

    public async Task<ApiReply> HandleAsync(string operationId, string key, JsonElement body, HttpRequest request, CancellationToken ct)
    {
        if (RequestFields.String(body, "prompt") is { } prompt && prompt.Length > _options.Limits.MaxPromptLength)
            return ApiError.Field("prompt", $"The prompt may not be greater than {_options.Limits.MaxPromptLength} characters.");
        if (RequestFields.String(body, "webhook") is { Length: > 0 } webhook)
        {
            try { await guardedHttp.CheckTargetAsync(webhook, ct); }
            catch (UrlFetchException e) when (e.Reason == GuardedHttp.BlockedReason) { return ApiError.Field("webhook", "The webhook address is not allowed (loopback, private or metadata address)."); }
            catch (UrlFetchException) { return ApiError.Field("webhook", "The webhook must be a valid http or https URL."); }
        }

        // A request without seed gets a random one now, stored with the job: a restart regenerates the same image,
        // and meta.seed reports it.
        var seed = GenerationParameters.ChooseSeed(body);
        var parameters = GenerationParameters.From(JobRunner.KindOf(operationId), body, seed);
        if (await CheckModelsAsync(parameters, ct) is { } modelError)
            return modelError;

        var keyTag = ApiKeyStore.Tag(key);
        using var place = await admission.TryReserveAsync(keyTag, _options.Limits.MaxQueuedPerKey, ct);
        if (place is null)
            return ApiError.RateLimited(_options.Limits.MaxQueuedPerKey, _options.Limits.RetryAfterSeconds);

        var (inputs, inputError) = await images.LoadAsync(body, ct);
        if (inputError is not null)
            return inputError;

        var job = await store.InsertAsync(new NewJob(
            KeyTag: keyTag,
            Version: operationId[..2],
            Operation: operationId,
            RequestJson: StoredRequest(body),
            BaseUrl: baseUrl.For(request),
            Samples: parameters.Samples,
            Seed: seed,
            Webhook: RequestFields.String(body, "webhook") is { Length: > 0 } w ? w : null,
            TrackId: RequestFields.String(body, "track_id"),
            Temp: RequestFields.YesNo(body, "temp") ?? false,
            Base64: RequestFields.YesNo(body, "base64") ?? false,
            EtaSeconds: runner.EstimateEta(),
            Inputs: inputs), clock.GetUtcNow(), ct);
        place.Dispose(); // the job row now counts for the key
        await models.MarkUsedAsync(parameters.ModelId, ct);

        var finished = completions.WatchAsync(job.Id);
        queue.Enqueue(job.Id);
        try
        {
            var done = await finished.WaitAsync(_options.Jobs.SyncBudget, clock, ct);
            return Ok(done.Status == JobStatus.Success ? JobResponses.Success(done) : JobResponses.Failed(done));
        }
        catch (TimeoutException)
        {
            completions.Forget(job.Id);
            return Ok(JobResponses.Accepted(job));
        }
    }

    private async Task<ApiReply?> CheckModelsAsync(GenerationParameters parameters, CancellationToken ct)
    {
        switch (await models.AvailabilityAsync(parameters.ModelId, ct))
        {
            case ModelAvailability.NotFound:
                return ApiError.Message(StatusCodes.Status404NotFound, $"Model not found: {parameters.ModelId}");
            case ModelAvailability.Evicted:
                return ApiError.Message(StatusCodes.Status503ServiceUnavailable,
                    $"Model {parameters.ModelId} was unloaded after being idle; call model_reload, then retry.");
            case ModelAvailability.Reloading:
                return ApiError.Message(StatusCodes.Status503ServiceUnavailable,
                    $"Model {parameters.ModelId} is reloading; try again later.");
        }
        if (models.Strict)
            foreach (var lora in parameters.LoraModels)
                if (!models.IsKnownLora(lora))
                    return ApiError.Message(StatusCodes.Status404NotFound, $"Lora model not found: {lora}");
        return null;
    }

    /// <summary>The body kept with the job: without <c>key</c>, and with inline base64 images replaced (they are
    /// stored as job inputs).</summary>
    private static string StoredRequest(JsonElement body)
    {
        var copy = JsonNode.Parse(body.GetRawText())!.AsObject();
        copy.Remove("key");
        if (RequestFields.YesNo(body, "base64") == true)
            foreach (var field in InputImages.Fields)
                if (copy[field] is JsonValue v && v.TryGetValue<string>(out var s) && !s.StartsWith("http", StringComparison.OrdinalIgnoreCase))
                    copy[field] = "(inline base64 image)";
        return copy.ToJsonString();
    }

    private static ApiReply Ok(JsonObject body) => ApiError.Json(StatusCodes.Status200OK, body);
}
