using System.ComponentModel;

namespace SdApi.Bindings.Http;

/// <summary>Polls a job until it is final (success, error, failed), waiting about <c>eta</c> seconds between calls
/// (clamped to the options' bounds; without an eta the wait starts at the minimum and doubles), up to a deadline, when
/// it throws <see cref="SdApiPollingTimeoutException{T}"/> carrying the last (processing) answer. Unlike the vendor
/// SDKs it stops on error/failed too. Every answer, the first included, goes to the progress callback. Waits use the
/// given <see cref="TimeProvider"/>. Public only because generated clients in other assemblies call it.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class CompletionPoller
{
    public static Task<Response<T>> WaitAsync<T>(
        SdApiPipeline pipeline,
        string operationId,
        Func<CancellationToken, Task<Response<T>>> fetch,
        Func<T, bool> isTerminal,
        Func<T, double?> eta,
        IProgress<T>? progress,
        CancellationToken cancellationToken)
        => WaitAsync(pipeline, operationId, null, fetch, isTerminal, eta, progress, cancellationToken);

    /// <summary>As above, starting from an answer already in hand (<paramref name="started"/>, e.g. the processing answer of a
    /// generation): the first fetch waits its <c>eta</c> instead of going out at once.</summary>
    public static async Task<Response<T>> WaitAsync<T>(
        SdApiPipeline pipeline,
        string operationId,
        Response<T>? started,
        Func<CancellationToken, Task<Response<T>>> fetch,
        Func<T, bool> isTerminal,
        Func<T, double?> eta,
        IProgress<T>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(fetch);
        ArgumentNullException.ThrowIfNull(isTerminal);
        ArgumentNullException.ThrowIfNull(eta);
        var options = pipeline.Options;
        var timeProvider = pipeline.TimeProvider;
        var deadline = timeProvider.GetUtcNow() + options.PollingTimeout;
        var backoff = options.PollingMinDelay;
        var polls = 0;
        var response = started;
        while (true)
        {
            if (response is null)
            {
                response = await fetch(cancellationToken).ConfigureAwait(false);
                polls++;
                SdApiTelemetry.Polls.Add(1, new KeyValuePair<string, object?>(SdApiTelemetry.OperationTag, operationId), new KeyValuePair<string, object?>(SdApiTelemetry.ServerTag, pipeline.Host));
                progress?.Report(response.Value);
            }
            if (isTerminal(response.Value)) return response;
            var wait = NextWait(eta(response.Value), ref backoff, options);
            var now = timeProvider.GetUtcNow();
            if (now >= deadline)
                throw new SdApiPollingTimeoutException<T>(response, polls, options.PollingTimeout);
            if (now + wait > deadline) wait = deadline - now;
            await Task.Delay(wait, timeProvider, cancellationToken).ConfigureAwait(false);
            response = null;
        }
    }

    /// <summary>About <c>eta</c> when the answer has a usable one, else the doubling backoff; always within the options' bounds.</summary>
    internal static TimeSpan NextWait(double? etaSeconds, ref TimeSpan backoff, SdApiClientOptions options)
    {
        TimeSpan wait;
        if (etaSeconds is { } seconds && seconds > 0 && double.IsFinite(seconds))
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
        return wait;
    }
}
