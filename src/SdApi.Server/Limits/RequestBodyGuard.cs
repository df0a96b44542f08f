using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using SdApi.Bindings;
using SdApi.Server.Configuration;
using SdApi.Server.Errors;

namespace SdApi.Server.Limits;

/// <summary>Checks the body of every API operation before the generated stubs read it: 415 for a body that is not
/// JSON, 413 by Content-Length before reading and while reading, and <see cref="JsonBodyScanner"/>'s 400 (naming the
/// field) for bytes the tolerant reader would otherwise have to guess at. The stubs then read the checked copy.</summary>
public sealed class RequestBodyGuard(RequestDelegate next, IOptions<ServerOptions> options)
{
    private readonly BodyLimits _limits = LimitsOf(options.Value.Limits);

    public async Task InvokeAsync(HttpContext http)
    {
        var request = http.Request;
        if (!HttpMethods.IsPost(request.Method) || SdApiOperations.FindByPath(request.Path.Value ?? "") is not { } operation)
        {
            await next(http);
            return;
        }
        if (!IsJson(request.ContentType))
        {
            await ApiError.Message(StatusCodes.Status415UnsupportedMediaType, "The request body must be application/json.").ToResult().ExecuteAsync(http);
            return;
        }
        if (request.ContentLength > _limits.MaxBodyBytes)
        {
            await ApiError.Message(StatusCodes.Status413PayloadTooLarge, $"The request body is too large (at most {_limits.MaxBodyBytes} bytes).").ToResult().ExecuteAsync(http);
            return;
        }

        var scanned = await JsonBodyScanner.ReadAsync(request.Body, _limits, operation.ImageFields, request.ContentLength, http.RequestAborted);
        if (scanned.Refusal is { } refusal)
        {
            await refusal.ToResult().ExecuteAsync(http);
            return;
        }
        request.Body = System.Runtime.InteropServices.MemoryMarshal.TryGetArray(scanned.Json, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(scanned.Json.ToArray(), writable: false);
        request.ContentLength = scanned.Json.Length;
        await next(http);
    }

    /// <summary>A missing Content-Type is read as JSON (tolerant, as the live API is); any other non-JSON type is refused.</summary>
    public static bool IsJson(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType)) return true;
        if (!MediaTypeHeaderValue.TryParse(contentType, out var parsed) || parsed.MediaType is null) return false;
        return parsed.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || parsed.MediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }

    public static BodyLimits LimitsOf(LimitOptions limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        // base64 of the largest image, plus a data: URL prefix.
        var image = (int)Math.Min(int.MaxValue, ((limits.MaxBase64ImageBytes + 2L) / 3 * 4) + 256);
        return new BodyLimits(limits.MaxRequestBodyBytes, limits.MaxStringLength, Math.Max(image, limits.MaxStringLength),
            limits.MaxMemberNameLength, limits.MaxMembers, limits.MaxDepth);
    }
}
