using System.Collections.Concurrent;

namespace SdApi.Server.Jobs;

/// <summary>The per-key queue limit without races: a request takes a place (counted with the key's queued and running
/// jobs) under one lock before it downloads images or writes its job, and gives it back once its job row exists (or
/// it failed), so concurrent requests cannot all slip under the limit.</summary>
public sealed class QueueAdmission(JobStore store)
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly ConcurrentDictionary<string, int> _reserved = new(StringComparer.Ordinal);

    /// <summary>A place for one more job of <paramref name="keyTag"/>, or null when the key already has <paramref name="limit"/>.</summary>
    public async Task<IDisposable?> TryReserveAsync(string keyTag, int limit, CancellationToken ct)
    {
        await _lock.WaitAsync(ct);
        try
        {
            var active = await store.CountActiveAsync(keyTag, ct) + _reserved.GetValueOrDefault(keyTag);
            if (active >= limit)
                return null;
            _reserved.AddOrUpdate(keyTag, 1, (_, n) => n + 1);
            return new Reservation(this, keyTag);
        }
        finally
        {
            _lock.Release();
        }
    }

    private void Release(string keyTag) => _reserved.AddOrUpdate(keyTag, 0, (_, n) => Math.Max(0, n - 1));

    private sealed class Reservation(QueueAdmission owner, string keyTag) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                owner.Release(keyTag);
        }
    }
}
