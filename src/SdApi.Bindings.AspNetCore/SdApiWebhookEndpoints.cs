using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace SdApi.Bindings.AspNetCore;

/// <summary>Receives the webhook POST the API sends when a job ends (the request's <c>webhook</c> URL).</summary>
public static class SdApiWebhookEndpoints
{
    /// <summary>The largest webhook body read (a success lists links, not images): larger bodies get 413.</summary>
    public const int MaxBodyBytes = 1 << 20;

    /// <summary>Maps <c>POST <paramref name="pattern"/></c>: reads the body with <see cref="SdApiWebhooks.ParseAsync"/>
    /// (track_id as number or string), calls <paramref name="handle"/>, and answers 200 <c>{"status":"success"}</c>.
    /// A body that is not JSON gets 400 in the API's error shape and <paramref name="handle"/> is not called. The API
    /// waits up to 30 seconds and may deliver twice: keep the handler short and dedupe on TrackId/Id. Returns the
    /// endpoint builder (add authorization, a shared-secret filter, rate limits there).</summary>
    public static IEndpointConventionBuilder MapSdApiWebhook(this IEndpointRouteBuilder endpoints, string pattern,
        Func<SdApiWebhookEvent, CancellationToken, Task> handle)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(handle);
        return endpoints.MapPost(pattern, async context =>
        {
            if (context.Request.ContentLength > MaxBodyBytes)
            {
                await AnswerAsync(context, StatusCodes.Status413PayloadTooLarge, "error", "The webhook body is too large.").ConfigureAwait(false);
                return;
            }
            SdApiWebhookEvent delivery;
            try
            {
                delivery = await SdApiWebhooks.ParseAsync(context.Request.Body, context.RequestAborted).ConfigureAwait(false);
            }
            catch (JsonException)
            {
                await AnswerAsync(context, StatusCodes.Status400BadRequest, "error", "The webhook body is not valid JSON.").ConfigureAwait(false);
                return;
            }
            await handle(delivery, context.RequestAborted).ConfigureAwait(false);
            await AnswerAsync(context, StatusCodes.Status200OK, "success", null).ConfigureAwait(false);
        });
    }

    private static async Task AnswerAsync(HttpContext context, int status, string outcome, string? message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("status", outcome);
            if (message is not null) writer.WriteString("message", message);
            writer.WriteEndObject();
        }
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }
}
