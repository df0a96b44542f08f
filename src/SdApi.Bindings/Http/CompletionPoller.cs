namespace SdApi.Bindings.Http;

/// <summary>Polls a job until it is final (success, error, failed), waiting about <c>eta</c> seconds between calls
/// (clamped to the options' bounds; without an eta the wait starts at the minimum and doubles), up to a deadline.
/// Unlike the vendor SDKs it stops on error/failed too.</summary>
public static class CompletionPoller
{
    public static async Task<Response<T>> WaitAsync<T>(
        Func<CancellationToken, Task<Response<T>>> fetch,
        Func<T, bool> isTerminal,
        Func<T, double?> eta,
        SdApiClientOptions options,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fetch);
        ArgumentNullException.ThrowIfNull(isTerminal);
        ArgumentNullException.ThrowIfNull(eta);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var deadline = timeProvider.GetUtcNow() + options.PollingTimeout;
        var backoff = options.PollingMinDelay;
        var polls = 0;
        while (true)
        {
            var response = await fetch(cancellationToken).ConfigureAwait(false);
            polls++;
            if (isTerminal(response.Value)) return response;
            TimeSpan wait;
            if (eta(response.Value) is { } seconds && seconds > 0 && double.IsFinite(seconds))
            {
                wait = TimeSpan.FromSeconds(Math.Min(seconds, options.PollingMaxDelay.TotalSeconds));
            }
            else
            {
                wait = backoff;
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, options.PollingMaxDelay.Ticks));
            }
            if (wait < options.PollingMinDelay) wait = options.PollingMinDelay;
            if (wait > options.PollingMaxDelay) wait = options.PollingMaxDelay;
            var now = timeProvider.GetUtcNow();
            if (now >= deadline)
                throw new TimeoutException($"The job was still processing after {options.PollingTimeout} ({polls} polls).");
            if (now + wait > deadline) wait = deadline - now;
            await Task.Delay(wait, timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }
}
