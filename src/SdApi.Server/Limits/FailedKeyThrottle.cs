using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using SdApi.Server.Configuration;
using SdApi.Server.Errors;

namespace SdApi.Server.Limits;

/// <summary>Slows wrong-key floods: an address whose requests were answered 401 (missing or wrong key) more than
/// <c>Limits:MaxFailedKeysPerAddress</c> times in one <c>Limits:FailedKeyWindow</c> gets the API's 429 (with
/// <c>retry_after</c> and a Retry-After header) until the window ends, before any key is compared.</summary>
public sealed class FailedKeyThrottle(RequestDelegate next, IOptions<ServerOptions> options, TimeProvider clock)
{
    /// <summary>Addresses tracked at most; beyond this, windows that have ended are dropped first.</summary>
    private const int MaxAddresses = 10_000;

    private readonly LimitOptions _limits = options.Value.Limits;
    private readonly ConcurrentDictionary<IPAddress, Window> _windows = new();

    public async Task InvokeAsync(HttpContext http)
    {
        var address = http.Connection.RemoteIpAddress ?? IPAddress.None;
        var now = clock.GetUtcNow();
        if (_windows.TryGetValue(address, out var window) && window.Ends > now && window.Failures >= _limits.MaxFailedKeysPerAddress)
        {
            var seconds = (int)Math.Ceiling((window.Ends - now).TotalSeconds);
            http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await ApiError.TooManyRequests($"Too many requests with an invalid key from this address. Try again in {seconds} seconds.", seconds)
                .ToResult().ExecuteAsync(http);
            return;
        }

        await next(http);

        if (http.Response.StatusCode == StatusCodes.Status401Unauthorized)
            Record(address, now);
    }

    private void Record(IPAddress address, DateTimeOffset now)
    {
        if (_windows.Count >= MaxAddresses)
            foreach (var (key, old) in _windows)
                if (old.Ends <= now) _windows.TryRemove(key, out _);
        _windows.AddOrUpdate(address,
            _ => new Window(now + _limits.FailedKeyWindow, 1),
            (_, w) => w.Ends <= now ? new Window(now + _limits.FailedKeyWindow, 1) : w with { Failures = w.Failures + 1 });
    }

    private sealed record Window(DateTimeOffset Ends, int Failures);
}
