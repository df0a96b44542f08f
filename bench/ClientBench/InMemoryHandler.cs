using System.Net;
using System.Net.Http.Headers;

namespace ClientBench;

/// <summary>Answers every request with the same JSON bytes, reading the request body like a server would.</summary>
internal sealed class InMemoryHandler(byte[] response) : HttpMessageHandler
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public long BytesReceived { get; private set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is not null)
            BytesReceived += (await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false)).Length;
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(response) { Headers = { ContentType = Json } } };
    }
}
