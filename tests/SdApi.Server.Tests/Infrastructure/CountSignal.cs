// Hand-written: the BCL's CountdownEvent waits synchronously for one fixed count and SemaphoreSlim consumes what it
// counts; these tests need async waits for any threshold of a count that only grows.
namespace SdApi.Server.Tests.Infrastructure;

/// <summary>A count that other threads raise (the server's workers, a receiver's handler) and a test awaits, so no test
/// polls or sleeps for it. Waits fail after 30 s so a broken server cannot hang the suite.</summary>
public sealed class CountSignal
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);
    private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];
    private int _count;

    public int Count
    {
        get { lock (_waiters) return _count; }
    }

    public int Increment()
    {
        lock (_waiters)
        {
            var now = ++_count;
            foreach (var waiter in _waiters.Where(w => now >= w.Count).ToList())
            {
                waiter.Reached.TrySetResult();
                _waiters.Remove(waiter);
            }
            return now;
        }
    }

    /// <summary>Completes once the count has reached <paramref name="count"/>.</summary>
    public Task WaitForAsync(int count, string what)
    {
        lock (_waiters)
        {
            if (_count >= count) return Task.CompletedTask;
            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, reached));
            return Wait(reached.Task, count, what);
        }
    }

    private async Task Wait(Task reached, int count, string what)
    {
        try { await reached.WaitAsync(Safety); }
        catch (TimeoutException) { throw new TimeoutException($"{what}: {Count} of {count} after {Safety.TotalSeconds} s."); }
    }
}
