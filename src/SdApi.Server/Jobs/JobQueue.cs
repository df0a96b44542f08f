using System.Threading.Channels;

namespace SdApi.Server.Jobs;

/// <summary>Ids of jobs waiting for a generation slot, first in first out (the API processes a key's queue in order).</summary>
public sealed class JobQueue
{
    private readonly Channel<long> _ids = Channel.CreateUnbounded<long>();
    private int _count;
    private int _running;

    /// <summary>Jobs waiting for a slot.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Jobs generating right now.</summary>
    public int Running => Volatile.Read(ref _running);

    public void MarkStarted() => Interlocked.Increment(ref _running);

    public void MarkStopped() => Interlocked.Decrement(ref _running);

    public void Enqueue(long id)
    {
        Interlocked.Increment(ref _count);
        _ids.Writer.TryWrite(id);
    }

    public async ValueTask<long> DequeueAsync(CancellationToken ct)
    {
        var id = await _ids.Reader.ReadAsync(ct);
        Interlocked.Decrement(ref _count);
        return id;
    }
}
