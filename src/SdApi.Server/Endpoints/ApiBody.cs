using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Options;
using SdApi.Server.Configuration;
using SdApi.Server.Errors;

namespace SdApi.Server.Endpoints;

/// <summary>Reads an API request body: JSON object only, <c>application/json</c> only, at most
/// <see cref="LimitOptions.MaxRequestBodyBytes"/>. Every refusal is an API-shaped error, never a 500.</summary>
public sealed class ApiBody(IOptions<ServerOptions> options)
{
    private readonly long _maxBytes = options.Value.Limits.MaxRequestBodyBytes;

    public async Task<(JsonDocument? Body, IResult? Error)> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        if (!IsJson(request.ContentType))
            return (null, ApiError.Message(StatusCodes.Status415UnsupportedMediaType,
                "Unsupported content type: send the request body as application/json."));
        if (request.ContentLength > _maxBytes)
            return (null, TooLarge());
        var buffer = new ArrayBufferWriter<byte>(request.ContentLength is { } n and > 0 ? (int)n : 4096);
        try
        {
            while (true)
            {
                var memory = buffer.GetMemory(16 * 1024);
                var read = await request.Body.ReadAsync(memory, ct);
                if (read == 0)
                    break;
                buffer.Advance(read);
                if (buffer.WrittenCount > _maxBytes)
                    return (null, TooLarge());
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge());
        }
        if (buffer.WrittenCount == 0)
            return (null, ApiError.Message(StatusCodes.Status400BadRequest, "The request body is empty: send a JSON object."));
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(buffer.WrittenMemory, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException)
        {
            return (null, ApiError.Message(StatusCodes.Status400BadRequest, "Malformed JSON in request body."));
        }
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            return (null, ApiError.Message(StatusCodes.Status400BadRequest, "The request body must be a JSON object."));
        }
        return (document, null);
    }

    private IResult TooLarge() => ApiError.Message(StatusCodes.Status413PayloadTooLarge,
        $"Request body too large: at most {_maxBytes} bytes.");

    private static bool IsJson(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
            return false;
        var mediaType = contentType.Split(';', 2)[0].Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (mediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase)
                && mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
    }
}
