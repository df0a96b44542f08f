using Microsoft.Extensions.Options;
using SdApi.Bindings.Json;
using SdApi.Server.Auth;
using SdApi.Server.Configuration;
using SdApi.Server.Errors;
using SdApi.Server.Generated;
using SdApi.Server.Generation;
using SdApi.Server.Jobs;
using SdApi.Server.Models;
using SdApi.Server.Net;

namespace SdApi.Server.Endpoints;

/// <summary>text2img / img2img / inpaint (x-sdapi-kind: generate), typed and validated by the generated stubs: check limits,
/// model and strict-mode fields, load input images, store the job, then answer <c>success</c> if it finishes within the
/// sync budget, else <c>processing</c>.</summary>
public sealed class GenerateHandler(
    ModelCatalog models,
    IModelStore modelStore,
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
    /// <summary>What a stored request holds instead of an inline base64 image (the bytes are kept as job inputs).</summary>
    public const string InlineImagePlaceholder = "(inline base64 image)";

    private readonly ServerOptions _options = options.Value;

    public async Task<ApiReply> HandleAsync(GenerateCall call, HttpRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (call.Prompt is { } prompt && prompt.Length > _options.Limits.MaxPromptLength)
            return ApiError.Field("prompt", $"The prompt may not be greater than {_options.Limits.MaxPromptLength} characters.");
        var webhook = string.IsNullOrEmpty(call.Webhook) ? null : call.Webhook;
        if (webhook is not null)
        {
            try { await guardedHttp.CheckTargetAsync(webhook, ct); }
            catch (UrlFetchException e) when (e.Reason == GuardedHttp.BlockedReason) { return ApiError.Field("webhook", "The webhook address is not allowed (loopback, private or metadata address)."); }
            catch (UrlFetchException) { return ApiError.Field("webhook", "The webhook must be a valid http or https URL."); }
        }

        // A request without seed gets a random one now, stored with the job: a restart regenerates the same image,
        // and meta.seed reports it.
        var seed = GenerationParameters.ChooseSeed(call);
        var parameters = GenerationParameters.From(call, seed);
        if (models.Strict && UnhonouredFields.Of(call).FirstOrDefault(u => u.RefusedWhenStrict) is { } unsupported)
            return ApiError.Field(unsupported.Field, $"The {unsupported.Field} field is not supported by this server (SdApi:StrictModels): {unsupported.Note}");
        if (await CheckModelsAsync(parameters, ct) is { } modelError)
            return modelError;

        var keyTag = ApiKeyStore.Tag(call.Key!);
        await using var place = await admission.TryReserveAsync(keyTag, _options.Limits.MaxQueuedPerKey, ct);
        if (place is null)
            return ApiError.RateLimited(_options.Limits.MaxQueuedPerKey, _options.Limits.RetryAfterSeconds);

        var (inputs, inputError) = await images.LoadAsync(call, ct);
        if (inputError is not null)
            return inputError;

        var job = await store.InsertAsync(new NewJob(
            KeyTag: keyTag,
            Version: call.Version,
            Operation: call.OperationId,
            RequestJson: StoredRequest(call),
            BaseUrl: baseUrl.For(request),
            Samples: parameters.Samples,
            Seed: seed,
            Webhook: webhook,
            TrackId: call.TrackId?.Value,
            Temp: call.Temp == true,
            Base64: call.Base64 == true,
            EtaSeconds: runner.EstimateEta(),
            Inputs: inputs,
            Warnings: call.Warnings), clock.GetUtcNow(), ct, place.CommitAsync); // the committed row counts for the key in the place's stead
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
            return Ok(JobResponses.Accepted(job, modelStore.PlannedScheduler(parameters.ModelId, parameters.Engine.Scheduler)));
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

    /// <summary>The request kept with the job, written by its generated writer: without secrets (<c>key</c>), and with inline
    /// base64 images replaced (their bytes are stored as job inputs).</summary>
    private static string StoredRequest(GenerateCall call)
    {
        var inline = call.Base64 == true;
        var storable = call.ForStorage(image =>
            inline && image is { Length: > 0 } && !image.StartsWith("http", StringComparison.OrdinalIgnoreCase) ? InlineImagePlaceholder : image);
        return System.Text.Encoding.UTF8.GetString(WireWriter.ToUtf8(storable));
    }

    private static ApiReply Ok(IJsonWritable body) => new(StatusCodes.Status200OK, body);
}
