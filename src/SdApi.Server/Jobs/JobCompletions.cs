using System.Collections.Concurrent;

namespace SdApi.Server.Jobs;

/// <summary>Lets a generate call wait (up to the sync budget) for the job it just queued.</summary>
public sealed class JobCompletions
{
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JobRecord>> _waiting = new();

    public Task<JobRecord> WatchAsync(long id) =>
        _waiting.GetOrAdd(id, _ => new TaskCompletionSource<JobRecord>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Forget(long id) => _waiting.TryRemove(id, out _);

    /// <summary>Raised for every job the runner finished (success or failed), after the store has its final state.</summary>
    internal event Action<JobRecord>? AnyFinished;

    public void Finished(JobRecord job)
    {
        AnyFinished?.Invoke(job);
        if (_waiting.TryRemove(job.Id, out var source))
            source.TrySetResult(job);
    }
}
