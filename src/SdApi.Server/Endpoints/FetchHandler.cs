using System.Globalization;
using System.Text.Json;
using SdApi.Server.Auth;
using SdApi.Server.Errors;
using SdApi.Server.Generation;
using SdApi.Server.Jobs;

namespace SdApi.Server.Endpoints;

/// <summary>fetch (body <c>request_id</c>) and fetch/{id} (v3, v4, v6): the job's current state. A job belongs to the
/// key that created it; other keys get the same not-found answer as an unknown id.</summary>
public sealed class FetchHandler(JobStore store)
{
    public async Task<ApiReply> HandleAsync(string key, string? id, JsonElement body, CancellationToken ct)
    {
        var requestId = id ?? RequestFields.String(body, "request_id");
        if (string.IsNullOrWhiteSpace(requestId))
            return ApiError.Field("request_id", "The request id field is required.");
        if (!long.TryParse(requestId.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var jobId))
            return NotFound();
        var job = await store.GetAsync(jobId, ct);
        if (job is null || job.KeyTag != ApiKeyStore.Tag(key))
            return NotFound();
        return ApiError.Json(StatusCodes.Status200OK, JobResponses.Fetch(job));
    }

    private static ApiReply NotFound() =>
        ApiError.Message(StatusCodes.Status404NotFound, "Request not found: no job with that id for this key.");
}
