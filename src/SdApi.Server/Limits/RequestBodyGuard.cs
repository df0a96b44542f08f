using Microsoft.Extensions.Options;
using SdApi.Bindings;
using SdApi.Bindings.Server;
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
        // The server runtime's own content-type rule and refusals (ServerRequestReader, OperationResult): one wording
        // for the guard, the generated stubs and the in-process mock.
        var early = !ServerRequestReader.IsJson(request.ContentType) ? OperationResult.UnsupportedMediaType()
            : request.ContentLength > _limits.MaxBodyBytes ? OperationResult.TooLarge(_limits.MaxBodyBytes)
            : null;
        if (early is not null)
        {
            await Results.Text(early.ToUtf8(), "application/json", statusCode: early.StatusCode).ExecuteAsync(http);
            return;
        }

        var scanned = await JsonBodyScanner.ReadAsync(request.Body, _limits, operation.ImageFields, request.ContentLength, http.RequestAborted);
        if (scanned.Refusal is { } refusal)
        {
            await refusal.ToResult().ExecuteAsync(http);
            return;
        }
        request.Body = System.Runtime.InteropServices.MemoryMarshal.TryGetArray(scanned.Json, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false, publiclyVisible: true) // read in place by ServerRequestReader
            : new MemoryStream(scanned.Json.ToArray(), writable: false);
        request.ContentLength = scanned.Json.Length;
        await next(http);
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
