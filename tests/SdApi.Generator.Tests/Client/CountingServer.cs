using System.Net;
using System.Net.Sockets;
using System.Text;
using SdApi.Bindings;
using SdApi.Bindings.Http;
using SdApi.Generator.Tests.Infrastructure;

namespace SdApi.Generator.Tests.Client;

/// <summary>What one attempt meets: an answer from the server, or a failure at a given point of the exchange.</summary>
public abstract record Step
{
    /// <summary>The server received the POST and answered.</summary>
    public sealed record Answer(HttpStatusCode Status, string Json, TimeSpan? RetryAfterHeader = null) : Step;

    /// <summary>Nothing listens on the port: the connection is refused, no byte of the request left the client.</summary>
    public sealed record Refused : Step;

    /// <summary>The host name does not resolve: no byte of the request left the client.</summary>
    public sealed record DnsFailure : Step;

    /// <summary>The server received the POST, then the connection was reset before an answer.</summary>
    public sealed record ResetAfterSending : Step;

    /// <summary>The server received the POST and did not answer before HttpClient.Timeout.</summary>
    public sealed record TimedOut : Step;
}

/// <summary>An in-memory HttpMessageHandler that plays a script of steps and counts the POSTs the server side saw
/// (a refused connection or DNS failure reaches no server, so it is an attempt but not a POST seen).</summary>
internal sealed class CountingServer(params Step[] script) : HttpMessageHandler
{
    private int _attempts;

    public const string Key = "secret-key-123";

    public const string Success = """{"status":"success","generationTime":1.2,"id":42,"output":["http://x/a.png"],"meta":{"W":512}}""";

    /// <summary>POSTs that reached the server, by path.</summary>
    public List<string> PostsSeen { get; } = new();

    public List<string> Bodies { get; } = new();

    public int Attempts => _attempts;

    /// <summary>When each POST reached the server, on the test's clock.</summary>
    public List<DateTimeOffset> SeenAt { get; } = new();

    public TimeProvider? Clock { get; init; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var n = Interlocked.Increment(ref _attempts);
        var step = script[Math.Min(n, script.Length) - 1];
        switch (step)
        {
            case Step.Refused:
                throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (sdapi.test:80)", new SocketException((int)SocketError.ConnectionRefused));
            case Step.DnsFailure:
                throw new HttpRequestException(HttpRequestError.NameResolutionError, "Name or service not known (sdapi.test:80)", new SocketException((int)SocketError.HostNotFound));
        }
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        lock (PostsSeen)
        {
            PostsSeen.Add(request.RequestUri!.AbsolutePath);
            Bodies.Add(body);
            SeenAt.Add((Clock ?? TimeProvider.System).GetUtcNow());
        }
        switch (step)
        {
            case Step.ResetAfterSending:
                throw new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely.", new IOException("Connection reset by peer", new SocketException((int)SocketError.ConnectionReset)));
            case Step.TimedOut:
                // What HttpClient throws when its Timeout elapses.
                throw new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout of 100 seconds elapsing.", new TimeoutException());
            case Step.Answer answer:
                var message = new HttpResponseMessage(answer.Status) { Content = new StringContent(answer.Json, Encoding.UTF8, "application/json") };
                if (answer.RetryAfterHeader is { } after) message.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(after);
                return message;
            default:
                throw new InvalidOperationException("unknown step " + step);
        }
    }

    public static Step Ok => new Step.Answer(HttpStatusCode.OK, Success);

    public static Step Status(int status, string json = """{"status":"error","message":"Server Error"}""") => new Step.Answer((HttpStatusCode)status, json);

    /// <summary>A client over this handler whose waits run on <paramref name="time"/> (they pass at once, recorded).</summary>
    public SdApiClient Client(AutoAdvancingTime time, Action<SdApiClientOptions>? configure = null)
    {
        var options = new SdApiClientOptions { BaseAddress = new Uri("http://sdapi.test/"), ApiKey = Key };
        configure?.Invoke(options);
        return new SdApiClient(new HttpClient(this), options, null, time);
    }
}
