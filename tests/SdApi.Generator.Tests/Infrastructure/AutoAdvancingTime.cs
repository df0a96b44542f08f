using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace SdApi.Generator.Tests.Infrastructure;

/// <summary>A <see cref="FakeTimeProvider"/> that moves its clock forward by each wait as soon as the wait is set up,
/// so the code under test never blocks on time, and records every wait so tests can assert what was asked for
/// (a retry_after honoured, an eta followed, a deadline reached).</summary>
internal sealed class AutoAdvancingTime : FakeTimeProvider
{
    public AutoAdvancingTime() : base(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)) { }

    /// <summary>Every finite, positive due time of a timer created on this provider, in order.</summary>
    public ConcurrentQueue<TimeSpan> Waits { get; } = new();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        if (dueTime > TimeSpan.Zero && dueTime != Timeout.InfiniteTimeSpan)
        {
            Waits.Enqueue(dueTime);
            // Advance outside the caller's stack: the timer is registered now, its callback runs on the pool.
            ThreadPool.UnsafeQueueUserWorkItem(_ => Advance(dueTime), null);
        }
        return timer;
    }
}
