using System.Globalization;
using System.Text.Json;
using SdApi.Server.Generation;
using System.Text.Json.Nodes;

namespace SdApi.Server.Jobs;

/// <summary>The wire forms of a job's state, as the live API writes them (quirks included: integer <c>id</c> at top
/// level and string in <c>meta</c>, <c>messege</c> on processing, <c>output: ""</c> on fetch-processing and failed).</summary>
public static class JobResponses
{
    public const string ProcessingTip = "Your image is processing in background, you can get this image using fetch API.";

    /// <summary>success, as a generate call answers when the job finished within the sync budget.</summary>
    public static JsonObject Success(JobRecord job) => new()
    {
        ["status"] = "success",
        ["generationTime"] = Math.Round(job.GenerationTime ?? 0, 3),
        ["id"] = job.Id,
        ["output"] = Urls(JobLinks.Outputs(job)),
        ["proxy_links"] = Urls(JobLinks.Outputs(job)),
        ["nsfw_content_detected"] = job.NsfwContentDetected,
        ["webhook_status"] = job.WebhookStatus ?? "",
        ["meta"] = Meta(job),
    };

    /// <summary>success, as fetch answers: <c>{status, id, output}</c> (plus generationTime).</summary>
    public static JsonObject FetchSuccess(JobRecord job) => new()
    {
        ["status"] = "success",
        ["id"] = job.Id,
        ["output"] = Urls(JobLinks.Outputs(job)),
        ["generationTime"] = Math.Round(job.GenerationTime ?? 0, 3),
    };

    /// <summary>processing, as the generate call answers when the job outlives the sync budget.</summary>
    public static JsonObject Accepted(JobRecord job) => new()
    {
        ["status"] = "processing",
        ["tip"] = ProcessingTip,
        ["tip_1"] = ProcessingTip,
        ["eta"] = Math.Round(job.EtaSeconds, 2),
        ["messege"] = "Try to fetch request after seconds estimated",
        ["webhook_status"] = "",
        ["fetch_result"] = JobLinks.FetchResult(job),
        ["id"] = job.Id,
        ["output"] = new JsonArray(),
        ["meta"] = Meta(job),
        ["future_links"] = Urls(JobLinks.Outputs(job)),
    };

    /// <summary>processing, as fetch answers while the job is queued or running (<c>output: ""</c>).</summary>
    public static JsonObject FetchProcessing(JobRecord job) => new()
    {
        ["status"] = "processing",
        ["id"] = job.Id,
        ["messege"] = "try again later.",
        ["output"] = "",
        ["eta"] = Math.Round(job.EtaSeconds, 2),
        ["tip"] = ProcessingTip,
    };

    public static JsonObject Failed(JobRecord job) => new()
    {
        ["status"] = "failed",
        ["id"] = job.Id,
        ["message"] = job.Message ?? "Failed, Try Again",
        ["output"] = "",
    };

    /// <summary>A fetch answer for any state.</summary>
    public static JsonObject Fetch(JobRecord job) => job.Status switch
    {
        JobStatus.Success => FetchSuccess(job),
        JobStatus.Failed => Failed(job),
        _ => FetchProcessing(job),
    };

    /// <summary>The webhook body: success <c>{status, id, output, generationTime, track_id, meta}</c>, failure
    /// <c>{status: "failed", id, message, track_id}</c>.</summary>
    public static JsonObject Webhook(JobRecord job) => job.Status == JobStatus.Success
        ? new JsonObject
        {
            ["status"] = "success",
            ["id"] = job.Id,
            ["output"] = Urls(JobLinks.Outputs(job)),
            ["generationTime"] = Math.Round(job.GenerationTime ?? 0, 3),
            ["track_id"] = job.TrackId,
            ["meta"] = Meta(job),
        }
        : new JsonObject
        {
            ["status"] = "failed",
            ["id"] = job.Id,
            ["message"] = job.Message ?? "Failed, Try Again",
            ["track_id"] = job.TrackId,
        };

    /// <summary>meta: the effective parameters under the API's meta names (<c>W</c>, <c>H</c>, <c>steps</c>,
    /// <c>n_samples</c>, ...), the id as a string, and the request's other fields echoed (never <c>key</c>).</summary>
    public static JsonObject Meta(JobRecord job)
    {
        using var document = JsonDocument.Parse(job.RequestJson);
        var request = document.RootElement;
        var p = GenerationParameters.From(JobRunner.KindOf(job.Operation), request, job.Seed);
        var meta = JsonNode.Parse(job.RequestJson) as JsonObject ?? [];
        foreach (var name in new[] { "width", "height", "samples", "num_inference_steps", "steps", "lora_model" })
            meta.Remove(name);
        meta["prompt"] = job.PromptUsed ?? p.Prompt; // once finished, the prompt drawn: enhance_prompt's words included, as the live API echoes
        meta["model_id"] = p.ModelId;
        meta["negative_prompt"] = p.NegativePrompt ?? "";
        meta["scheduler"] = job.Scheduler ?? p.Scheduler; // the one the engine ran, once known
        meta["safety_checker"] = p.SafetyChecker ? "yes" : "no";
        meta["W"] = job.Width ?? p.Width;   // the size generated once known (img2img/inpaint: the init image's)
        meta["H"] = job.Height ?? p.Height;
        meta["guidance_scale"] = p.GuidanceScale;
        meta["seed"] = p.Seed;
        meta["steps"] = p.Steps;
        meta["n_samples"] = p.Samples;
        meta["lora"] = p.LoraModels.Count > 0 ? string.Join(',', p.LoraModels) : null;
        meta["lora_strength"] = p.LoraStrengths.Count == 1 ? p.LoraStrengths[0]
            : p.LoraStrengths.Count > 1 ? string.Join(',', p.LoraStrengths.Select(v => v.ToString(CultureInfo.InvariantCulture))) : null;
        meta["temp"] = job.Temp ? "yes" : "no";
        meta["base64"] = job.Base64 ? "yes" : "no";
        meta["webhook"] = job.Webhook;
        meta["track_id"] = job.TrackId;
        meta["id"] = job.Id.ToString(CultureInfo.InvariantCulture);
        meta["file_prefix"] = job.Id.ToString(CultureInfo.InvariantCulture);
        // meta.warnings (spec: Meta.warnings): the generated validator's warnings for the stored request, an extra member.
        if (SdApi.Bindings.SdApiOperations.FindById(job.Operation)?.ValidateJson(System.Text.Encoding.UTF8.GetBytes(job.RequestJson)).Warnings is { Count: > 0 } warnings)
            meta["warnings"] = new JsonArray([.. warnings.Select(w => (JsonNode)new JsonObject { ["field"] = w.Field, ["rule"] = w.RuleId, ["message"] = w.Message })]);
        return meta;
    }

    private static JsonArray Urls(IEnumerable<string> urls) => new([.. urls.Select(u => (JsonNode?)JsonValue.Create(u))]);

    public static string Serialize(JsonObject body) => body.ToJsonString(JsonSerializerOptions.Default);
}
