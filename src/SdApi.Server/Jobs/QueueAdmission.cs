using System.Collections.Concurrent;

namespace SdApi.Server.Jobs;

/// <summary>The per-key queue limit without races: a request takes a place (counted with the key's queued and running
/// jobs) before it downloads images or writes its job, and its job row is committed in the place's stead, so concurrent
/// requests can neither slip under the limit nor be refused while the key has room.</summary>
/// <remarks>Each key has one lock, taken by a check and by the commit that turns a place into a job row: a check never
/// sees that job both as a row and as a place (refusing a request the key has room for), nor as neither (letting one
/// too many through). Keys are the configured ones, so the per-key state is bounded.</remarks>
public sealed class QueueAdmission(JobStore store)
{
    private readonly ConcurrentDictionary<string, KeyPlaces> _keys = new(StringComparer.Ordinal);

    /// <summary>A place for one more job of <paramref name="keyTag"/>, or null when the key already has <paramref name="limit"/>.</summary>
    public async Task<Place?> TryReserveAsync(string keyTag, int limit, CancellationToken ct)
    {
        var key = _keys.GetOrAdd(keyTag, static _ => new KeyPlaces());
        await key.Lock.WaitAsync(ct);
        try
        {
            if (await store.CountActiveAsync(keyTag, ct) + key.Reserved >= limit)
                return null;
            key.Reserved++;
            return new Place(key);
        }
        finally
        {
            key.Lock.Release();
        }
    }

    internal sealed class KeyPlaces
    {
        public SemaphoreSlim Lock { get; } = new(1, 1);

        /// <summary>Places taken whose job row is not written yet (read and changed only under <see cref="Lock"/>).</summary>
        public int Reserved { get; set; }
    }

    /// <summary>One reserved place: <see cref="CommitAsync"/> commits the job row in its stead; disposing it uncommitted
    /// gives it back.</summary>
    public sealed class Place : IAsyncDisposable
    {
        private readonly KeyPlaces _key;
        private bool _done;

        internal Place(KeyPlaces key) => _key = key;

        /// <summary>Runs <paramref name="commit"/> (the commit of the job row's write transaction, which already holds the
        /// database's write lock, so it never waits on other writers) and gives the place up in one step under the key's
        /// lock. Only the commit is under the lock: the write before it may wait for the database, and checks of the same
        /// key must not wait with it.</summary>
        public async Task CommitAsync(Func<Task> commit)
        {
            ArgumentNullException.ThrowIfNull(commit);
            ObjectDisposedException.ThrowIf(_done, this);
            // Not cancellable: once the commit started, the place is given up only together with it.
            await _key.Lock.WaitAsync(CancellationToken.None);
            try
            {
                await commit();
                _key.Reserved--;
                _done = true;
            }
            finally
            {
                _key.Lock.Release();
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_done)
                return;
            _done = true;
            await _key.Lock.WaitAsync(CancellationToken.None);
            try { _key.Reserved--; }
            finally { _key.Lock.Release(); }
        }
    }
}
