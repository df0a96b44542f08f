using System.Collections.Concurrent;

namespace SdApi.Server.Jobs;

/// <summary>The per-key queue limit without races: a request takes a place (counted with the key's queued and running
/// jobs) under one lock before it downloads images or writes its job, and gives it back once its job row exists (or
/// it failed), so concurrent requests cannot all slip under the limit.</summary>
/// <remarks>Giving a place back takes the same lock: a check reads the key's rows and then its reservations, and a
/// reservation that turned into a committed row between those two reads would otherwise be counted by neither.</remarks>
public sealed class QueueAdmission(JobStore store)
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly ConcurrentDictionary<string, int> _reserved = new(StringComparer.Ordinal);

    /// <summary>A place for one more job of <paramref name="keyTag"/>, or null when the key already has <paramref name="limit"/>.</summary>
    public async Task<IAsyncDisposable?> TryReserveAsync(string keyTag, int limit, CancellationToken ct)
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

    private async ValueTask ReleaseAsync(string keyTag)
    {
        // Not cancellable: a place must always be given back.
        await _lock.WaitAsync(CancellationToken.None);
        try
        {
            _reserved.AddOrUpdate(keyTag, 0, (_, n) => Math.Max(0, n - 1));
        }
        finally
        {
            _lock.Release();
        }
    }

    private sealed class Reservation(QueueAdmission owner, string keyTag) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync() =>
            Interlocked.Exchange(ref _released, 1) == 0 ? owner.ReleaseAsync(keyTag) : ValueTask.CompletedTask;
    }
}
