using SdApi.Server.Errors;

namespace SdApi.Server.Hosting;

/// <summary>Last line of defence: whatever escapes a handler is answered in the API's error shape, with 400/413 for
/// malformed requests Kestrel rejects and 500 only for a genuine server fault (logged without the body).</summary>
public sealed partial class ApiExceptionMiddleware(RequestDelegate next, ILogger<ApiExceptionMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext http)
    {
        try
        {
            await next(http);
        }
        catch (BadHttpRequestException e) when (!http.Response.HasStarted)
        {
            // Kestrel's own verdicts keep their status: 413 too large, 408 a body sent below the minimum data rate.
            var (status, message) = e.StatusCode switch
            {
                StatusCodes.Status413PayloadTooLarge => (e.StatusCode, "Request body too large."),
                StatusCodes.Status408RequestTimeout => (e.StatusCode, "The request body arrived too slowly."),
                _ => (StatusCodes.Status400BadRequest, "Malformed request."),
            };
            await ApiError.Message(status, message).ToResult().ExecuteAsync(http);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // the client went away; nothing to answer
        }
#pragma warning disable CA1031 // every failure becomes an API-shaped 500
        catch (Exception e) when (!http.Response.HasStarted)
#pragma warning restore CA1031
        {
            LogUnhandled(logger, http.Request.Path, e);
            await ApiError.Message(StatusCodes.Status500InternalServerError, "Internal server error. Please try again.").ToResult().ExecuteAsync(http);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error on {Path}.")]
    private static partial void LogUnhandled(ILogger logger, PathString path, Exception e);
}
