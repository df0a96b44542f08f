using System.Collections.Concurrent;
using System.Globalization;
using SdApi.Server.Auth;
using SdApi.Server.Errors;
using SdApi.Server.Jobs;

namespace SdApi.Server.Endpoints;

/// <summary>fetch (body <c>request_id</c>) and fetch/{id} (v3, v4, v6): the job's current state. A job belongs to the
/// key that created it; other keys get the same not-found answer as an unknown id.</summary>
public sealed class FetchHandler(JobStore store)
{
    private const int MaxCached = 50_000;

    /// <summary>A finished job never changes what fetch answers, so its answer is serialized once (CI polls a lot).</summary>
    private readonly ConcurrentDictionary<long, (string KeyTag, byte[] Body)> _finished = new();

    /// <param name="requestId">The path's {id}, or the body's request_id.</param>
    public async Task<ApiReply> HandleAsync(string key, string? requestId, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(requestId))
            return ApiError.Field("request_id", "The request id field is required.");
        if (!long.TryParse(requestId.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var jobId))
            return NotFound();
        var keyTag = ApiKeyStore.Tag(key);
        if (_finished.TryGetValue(jobId, out var cached))
            return cached.KeyTag == keyTag ? Replay(cached.Body) : NotFound();
        var job = await store.GetAsync(jobId, ct);
        if (job is null || job.KeyTag != keyTag)
            return NotFound();
        var answer = JobResponses.Fetch(job);
        if (!job.IsFinished)
            return new ApiReply(StatusCodes.Status200OK, answer);
        if (_finished.Count >= MaxCached)
            _finished.Clear();
        var bytes = JobResponses.Serialize(answer);
        _finished[jobId] = (job.KeyTag, bytes);
        return Replay(bytes);
    }

    private static ApiReply Replay(byte[] body) => ApiReply.FromUtf8(StatusCodes.Status200OK, body);

    private static ApiReply NotFound() =>
        ApiError.Message(StatusCodes.Status404NotFound, "Request not found: no job with that id for this key.");
}
