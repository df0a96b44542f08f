using System.Text.Json;
using System.Text.Json.Nodes;

namespace SdApi.Server.Jobs;

/// <summary>The wire forms of a job's state, as the live API writes them (quirks included: integer <c>id</c> at top
/// level and string in <c>meta</c>, <c>messege</c> on processing, <c>output: ""</c> on fetch-processing and failed).</summary>
public static class JobResponses
{
    public const string ProcessingTip = "Your image is processing in background, you can get this image using fetch API.";

    /// <summary>success: from a generate call or a fetch.</summary>
    public static JsonObject Success(JobRecord job, bool forFetch)
    {
        var output = Urls(JobLinks.Outputs(job));
        var body = new JsonObject
        {
            ["status"] = "success",
            ["generationTime"] = Math.Round(job.GenerationTime ?? 0, 3),
            ["id"] = job.Id,
            ["output"] = output,
            ["proxy_links"] = Urls(JobLinks.Outputs(job)),
            ["nsfw_content_detected"] = false,
            ["webhook_status"] = job.WebhookStatus ?? "",
        };
        if (!forFetch)
            body["meta"] = Meta(job);
        return body;
    }

    /// <summary>processing, as the generate call answers when the job outlives the sync budget.</summary>
    public static JsonObject Accepted(JobRecord job) => new()
    {
        ["status"] = "processing",
        ["tip"] = ProcessingTip,
        ["eta"] = Math.Round(job.EtaSeconds, 1),
        ["messege"] = "Request processing in background, you can fetch this image using fetch API.",
        ["fetch_result"] = JobLinks.FetchResult(job),
        ["id"] = job.Id,
        ["output"] = new JsonArray(),
        ["meta"] = Meta(job),
        ["future_links"] = Urls(JobLinks.Outputs(job)),
    };

    /// <summary>processing, as fetch answers while the job is queued or running.</summary>
    public static JsonObject FetchProcessing(JobRecord job) => new()
    {
        ["status"] = "processing",
        ["id"] = job.Id,
        ["messege"] = "try again later.",
        ["output"] = "",
        ["eta"] = Math.Round(job.EtaSeconds, 1),
        ["future_links"] = Urls(JobLinks.Outputs(job)),
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
        JobStatus.Success => Success(job, forFetch: true),
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

    /// <summary>meta echoes the request (without key and inline images) with the job id as a string.</summary>
    public static JsonObject Meta(JobRecord job)
    {
        var meta = JsonNode.Parse(job.RequestJson) as JsonObject ?? [];
        foreach (var image in new[] { "init_image", "mask_image" })
            if (meta[image] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 512)
                meta[image] = "(inline image)";
        meta["id"] = job.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return meta;
    }

    private static JsonArray Urls(IEnumerable<string> urls) => new([.. urls.Select(u => (JsonNode?)JsonValue.Create(u))]);

    public static string Serialize(JsonObject body) => body.ToJsonString(JsonSerializerOptions.Default);
}
