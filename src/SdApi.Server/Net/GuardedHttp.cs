using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Options;
using SdApi.Server.Configuration;

namespace SdApi.Server.Net;

/// <summary>Why an outgoing request was refused or failed; the message is safe to return to the caller.</summary>
public sealed class UrlFetchException(string reason, Exception? inner = null) : Exception(reason, inner)
{
    public string Reason { get; } = reason;
}

/// <summary>The only way the server talks to URLs it was given (init_image, mask_image, webhook): http(s) only,
/// size and time limits, redirects followed by hand (each hop re-checked), and every connection's address checked by
/// <see cref="AddressPolicy"/> at connect time, after DNS, so no spelling of a blocked address gets through.</summary>
public sealed class GuardedHttp : IDisposable
{
    public const string BlockedReason = "address not allowed";

    private readonly HttpClient _client;
    private readonly AddressPolicy _policy;
    private readonly UrlFetchOptions _options;
    private readonly TimeProvider _clock;

    public GuardedHttp(AddressPolicy policy, IOptions<ServerOptions> options, TimeProvider clock)
    {
        _policy = policy;
        _clock = clock;
        _options = options.Value.UrlFetch;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            UseProxy = false,
            ConnectCallback = ConnectAsync,
        };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("SdApi.Server", "0.1"));
    }

    /// <summary>Downloads an image (init_image, mask_image), at most <see cref="UrlFetchOptions.MaxBytes"/>.</summary>
    public async Task<byte[]> DownloadAsync(string url, CancellationToken ct)
    {
        using var deadline = new CancellationTokenSource(_options.Timeout, _clock); // on the host's clock, like every limit in time
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        try
        {
            using var response = await SendFollowingRedirectsAsync(() => new HttpRequestMessage(HttpMethod.Get, (Uri?)null), url, timeout.Token);
            if (!response.IsSuccessStatusCode)
                throw new UrlFetchException($"HTTP {(int)response.StatusCode}");
            if (response.Content.Headers.ContentLength > _options.MaxBytes)
                throw new UrlFetchException("image too large");
            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(chunk, timeout.Token)) > 0)
            {
                if (buffer.Length + read > _options.MaxBytes)
                    throw new UrlFetchException("image too large");
                buffer.Write(chunk, 0, read);
            }
            return buffer.ToArray();
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new UrlFetchException("timed out");
        }
    }

    /// <summary>POSTs a JSON body (webhooks); true when the receiver answered 2xx.</summary>
    public async Task<bool> PostJsonAsync(string url, string json, TimeSpan timeout, CancellationToken ct)
    {
        using var deadline = new CancellationTokenSource(timeout, _clock);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        try
        {
            using var response = await SendFollowingRedirectsAsync(
                () => new HttpRequestMessage(HttpMethod.Post, (Uri?)null) { Content = new StringContent(json, Encoding.UTF8, "application/json") },
                url, cts.Token);
            return response.IsSuccessStatusCode;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new UrlFetchException("timed out");
        }
    }

    /// <summary>Checks a webhook target when the job is submitted: the URL as <see cref="CheckUrl"/> does, then the
    /// addresses its host resolves to now (any spelling: 0, octal, hex, IPv4-mapped IPv6, trailing dot). A target that
    /// resolves only to blocked addresses is refused (<see cref="BlockedReason"/>); a name that does not resolve now is
    /// left to delivery, which checks the address it connects to again.</summary>
    public async Task CheckTargetAsync(string url, CancellationToken ct)
    {
        var uri = CheckUrl(url);
        var host = uri.IdnHost.Trim('[', ']').TrimEnd('.');
        if (_policy.IsAllowedName(host)) return;
        IPAddress[] addresses;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(2), _clock);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        try
        {
            addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, timeout.Token);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return;
        }
        if (addresses.Length > 0 && addresses.All(a => !_policy.IsAllowed(a)))
            throw new UrlFetchException(BlockedReason);
    }

    /// <summary>Parses and checks a URL the caller gave: absolute, http or https.</summary>
    public static Uri CheckUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
            throw new UrlFetchException("not an absolute URL");
        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            throw new UrlFetchException("only http and https URLs are allowed");
        return uri;
    }

    private async Task<HttpResponseMessage> SendFollowingRedirectsAsync(Func<HttpRequestMessage> create, string url, CancellationToken ct)
    {
        var uri = CheckUrl(url);
        for (var hop = 0; ; hop++)
        {
            using var request = create();
            request.RequestUri = uri;
            HttpResponseMessage response;
            try
            {
                response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            }
            catch (HttpRequestException e) when (e.InnerException is UrlFetchException blocked)
            {
                throw blocked;
            }
            catch (HttpRequestException e)
            {
                throw new UrlFetchException("connection failed", e);
            }
            var status = (int)response.StatusCode;
            if (status is < 300 or > 399 || response.Headers.Location is null)
                return response;
            var next = response.Headers.Location;
            response.Dispose();
            if (hop >= _options.MaxRedirects)
                throw new UrlFetchException("too many redirects");
            uri = CheckUrl(new Uri(uri, next).ToString());
        }
    }

    /// <summary>Resolves the host and connects only to an allowed address (the check that cannot be spelled around).</summary>
    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        // "localhost." is "localhost": the root's dot is dropped so the name is resolved and checked like its plain form.
        var host = context.DnsEndPoint.Host.Trim('[', ']').TrimEnd('.');
        var nameAllowed = _policy.IsAllowedName(host);
        IPAddress[] addresses = IPAddress.TryParse(host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, ct);
        var allowed = nameAllowed ? addresses : addresses.Where(_policy.IsAllowed).ToArray();
        if (allowed.Length == 0)
            throw new UrlFetchException(BlockedReason);
        Exception? last = null;
        foreach (var candidate in allowed)
        {
            var address = candidate.IsIPv4MappedToIPv6 ? candidate.MapToIPv4() : candidate;
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
        }
        throw new UrlFetchException("connection failed", last);
    }

    public void Dispose() => _client.Dispose();
}
