using System.Text.Json.Nodes;

namespace SdApi.Server.Errors;

/// <summary>The API's error bodies: <c>{"status":"error","message":...}</c>, with the HTTP status the reference
/// server uses (the live API often answers 200; clients read <c>status</c>).</summary>
public static class ApiError
{
    public const string InvalidKey = "Invalid Api Key";

    public static ApiReply Message(int httpStatus, string message) =>
        Json(httpStatus, new JsonObject { ["status"] = "error", ["message"] = message });

    /// <summary>The validation shape: field -> list of messages.</summary>
    public static ApiReply Fields(IReadOnlyDictionary<string, List<string>> errors, int httpStatus = StatusCodes.Status400BadRequest)
    {
        var message = new JsonObject();
        foreach (var (field, list) in errors)
            message[field] = new JsonArray([.. list.Select(m => (JsonNode?)JsonValue.Create(m))]);
        return Json(httpStatus, new JsonObject { ["status"] = "error", ["message"] = message });
    }

    public static ApiReply Field(string field, string message, int httpStatus = StatusCodes.Status400BadRequest) =>
        Fields(new Dictionary<string, List<string>> { [field] = [message] }, httpStatus);

    public static ApiReply RateLimited(int maxQueued, int retryAfterSeconds)
    {
        var message = $"Rate limit exceeded. Maximum {maxQueued} queued requests allowed.";
        return Json(StatusCodes.Status429TooManyRequests, new JsonObject
        {
            ["status"] = "error",
            ["message"] = message,
            ["retry_after"] = retryAfterSeconds,
        }) with { RetryAfterSeconds = retryAfterSeconds, RateLimitMessage = message };
    }

    public static ApiReply Json(int httpStatus, JsonObject body) => new(httpStatus, body);
}
