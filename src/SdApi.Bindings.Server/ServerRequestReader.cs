using System.Buffers;
using System.Net.Http.Headers;

namespace SdApi.Bindings.Server;

/// <summary>The body the generated endpoints read, or the refusal to send instead (415 wrong content type, 413 too large).</summary>
public readonly record struct ServerRequestBody(ReadOnlyMemory<byte> Json, OperationResult? Error);

/// <summary>Reads a request body for the generated server stubs, without ASP.NET types so it is testable alone.
/// A missing Content-Type is read as JSON (tolerant); any other non-JSON type is refused.</summary>
public static class ServerRequestReader
{
    public static async ValueTask<ServerRequestBody> ReadAsync(string? contentType, long? contentLength, Stream body, SdApiServerOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(options);
        if (!IsJson(contentType)) return new ServerRequestBody(default, OperationResult.UnsupportedMediaType());
        if (contentLength > options.MaxBodyBytes) return new ServerRequestBody(default, OperationResult.TooLarge(options.MaxBodyBytes));

        // A body some middleware already holds in memory (a visible MemoryStream) is used where it is, not copied.
        if (body is MemoryStream held && held.TryGetBuffer(out var segment))
        {
            var rest = segment.AsMemory((int)held.Position);
            return rest.Length > options.MaxBodyBytes
                ? new ServerRequestBody(default, OperationResult.TooLarge(options.MaxBodyBytes))
                : new ServerRequestBody(rest, null);
        }

        var buffer = new ArrayBufferWriter<byte>((int)Math.Min(contentLength ?? 4096, options.MaxBodyBytes) + 1);
        while (true)
        {
            // at least 1 byte: a buffer sized to Content-Length + 1 then never grows for the final read of 0 bytes
            var memory = buffer.GetMemory(buffer.FreeCapacity > 0 ? 1 : 8192);
            var read = await body.ReadAsync(memory, cancellationToken).ConfigureAwait(false);
            if (read == 0) break;
            buffer.Advance(read);
            if (buffer.WrittenCount > options.MaxBodyBytes)
                return new ServerRequestBody(default, OperationResult.TooLarge(options.MaxBodyBytes));
        }
        return new ServerRequestBody(buffer.WrittenMemory, null);
    }

    public static bool IsJson(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType)) return true;
        if (!MediaTypeHeaderValue.TryParse(contentType, out var parsed) || parsed.MediaType is null) return false;
        return parsed.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || parsed.MediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }
}
