using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace SdApi.Server.Limits;

/// <summary>Gives the answers Kestrel writes before the app runs (400 malformed request line or header, e.g.
/// <c>/fetch/1%00</c>; 408 slow headers; 413; 414; 431 headers too large) the API's JSON body. Kestrel has no hook for
/// them: it writes a header block with <c>Content-Length: 0</c> and <c>Connection: close</c> and closes the connection,
/// so this connection middleware recognises exactly that block at the start of a write and adds a body.</summary>
public static class KestrelErrorBodies
{
    public static void Use(ListenOptions listen)
    {
        ArgumentNullException.ThrowIfNull(listen);
        listen.Use(next => async connection =>
        {
            var transport = connection.Transport;
            var output = new RewritingStream(transport.Output.AsStream(leaveOpen: true));
            var writer = PipeWriter.Create(output, new StreamPipeWriterOptions(leaveOpen: true));
            connection.Transport = new DuplexPipe(transport.Input, writer);
            try
            {
                await next(connection);
            }
            finally
            {
                await writer.CompleteAsync();
                connection.Transport = transport;
            }
        });
    }

    /// <summary>The header block of a Kestrel-made error answer rewritten with a JSON body, or null when
    /// <paramref name="block"/> is anything else (every answer of the app has a body, so it never matches).</summary>
    internal static byte[]? Rewrite(ReadOnlySpan<byte> block)
    {
        if (block.Length < 20 || block.Length > 4096 || !block.StartsWith("HTTP/1."u8) || !block.EndsWith("\r\n\r\n"u8))
            return null;
        var text = Encoding.ASCII.GetString(block);
        if (text.IndexOf("\r\n\r\n", StringComparison.Ordinal) != text.Length - 4
            || !text.Contains("\r\nContent-Length: 0\r\n", StringComparison.OrdinalIgnoreCase)
            || !text.Contains("\r\nConnection: close\r\n", StringComparison.OrdinalIgnoreCase)
            || !int.TryParse(text.AsSpan(9, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var status)
            || status is < 400 or > 599)
            return null;
        var message = status switch
        {
            408 => "The request headers arrived too slowly.",
            413 => "The request body is too large.",
            414 => "The request URL is too long.",
            431 => "The request headers are too large.",
            _ => "Malformed request: the request line or a header could not be read.",
        };
        var body = Encoding.UTF8.GetString(SdApi.Bindings.Json.WireWriter.ToUtf8(Errors.ApiError.Message(status, message).Body));
        var headers = text[..^4].Replace("\r\nContent-Length: 0", $"\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}", StringComparison.OrdinalIgnoreCase);
        return Encoding.UTF8.GetBytes(headers + "\r\n\r\n" + body);
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;
        public PipeWriter Output { get; } = output;
    }

    /// <summary>Passes every write through, except a Kestrel error block, which goes out with its body.</summary>
    private sealed class RewritingStream(Stream inner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            var span = buffer.AsSpan(offset, count);
            if (Rewrite(span) is { } rewritten) inner.Write(rewritten);
            else inner.Write(span);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.WriteAsync(Rewrite(buffer.Span) is { } rewritten ? rewritten : buffer, cancellationToken);
    }
}
