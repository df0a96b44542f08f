using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace SdApi.Testing.Tests.Harness;

/// <summary>A FakeTimeProvider that reports every timer the code under test starts (retry and polling waits), so a test
/// moves time exactly to it instead of sleeping: waits take no wall-clock time and are measured exactly.</summary>
public sealed class SteppedClock : FakeTimeProvider
{
    private readonly Channel<TimeSpan> _timers = Channel.CreateUnbounded<TimeSpan>();

    public SteppedClock() : base(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        if (dueTime != Timeout.InfiniteTimeSpan) _timers.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>The due time of the next timer started (waits for it).</summary>
    public async Task<TimeSpan> NextTimerAsync(CancellationToken cancellationToken = default) =>
        await _timers.Reader.ReadAsync(cancellationToken);

    /// <summary>Awaits <paramref name="work"/>, advancing time to each timer it starts on the way.</summary>
    public async Task<T> RunAsync<T>(Task<T> work)
    {
        using var stop = new CancellationTokenSource();
        try
        {
            while (true)
            {
                var next = NextTimerAsync(stop.Token);
                if (await Task.WhenAny(work, next) == work) return await work;
                Advance(await next);
            }
        }
        finally
        {
            await stop.CancelAsync();
        }
    }
}
