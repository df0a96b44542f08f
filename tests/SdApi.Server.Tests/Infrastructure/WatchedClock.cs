using Microsoft.Extensions.Time.Testing;

namespace SdApi.Server.Tests.Infrastructure;

/// <summary>A <see cref="FakeTimeProvider"/> that tells the test when the server has created a timer, so the test
/// advances time only once the server waits on it (an Advance before the timer exists would be lost), and records
/// the due times the server asked for (a backoff is checked by what was asked, not by measuring).</summary>
public sealed class WatchedClock() : FakeTimeProvider(DateTimeOffset.UtcNow)
{
    private readonly List<TimeSpan> _dueTimes = [];
    private readonly Dictionary<TimeSpan, CountSignal> _byDueTime = [];

    /// <summary>Due times of every timer created so far, in order.</summary>
    public IReadOnlyList<TimeSpan> DueTimes
    {
        get { lock (_dueTimes) return [.. _dueTimes]; }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        CountSignal signal;
        lock (_dueTimes)
        {
            _dueTimes.Add(dueTime);
            signal = SignalFor(dueTime);
        }
        signal.Increment();
        return timer;
    }

    /// <summary>Completes once <paramref name="count"/> timers with this due time exist.</summary>
    public Task WaitForTimerAsync(TimeSpan dueTime, int count = 1)
    {
        CountSignal signal;
        lock (_dueTimes) signal = SignalFor(dueTime);
        return signal.WaitForAsync(count, $"timers due in {dueTime}");
    }

    private CountSignal SignalFor(TimeSpan dueTime)
    {
        if (!_byDueTime.TryGetValue(dueTime, out var signal))
            _byDueTime[dueTime] = signal = new CountSignal();
        return signal;
    }
}
