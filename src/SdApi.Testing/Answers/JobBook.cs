using System.Collections.Concurrent;
using System.Globalization;

namespace SdApi.Testing.Answers;

/// <summary>Jobs started by processing answers: each fetch of a job answers processing until its polls are used up,
/// then success. Ids are numbers, as the API's are.</summary>
internal sealed class JobBook
{
    private readonly ConcurrentDictionary<string, Job> _jobs = new(StringComparer.Ordinal);
    private long _lastId = 29763500;

    public string Start(int polls, double? eta)
    {
        var id = Interlocked.Increment(ref _lastId).ToString(CultureInfo.InvariantCulture);
        _jobs[id] = new Job(polls, eta);
        return id;
    }

    public bool Knows(string id) => _jobs.ContainsKey(id);

    /// <summary>One fetch of job <paramref name="id"/>: its eta while still processing, null once it has succeeded.</summary>
    public bool TryPoll(string id, out bool processing, out double? eta)
    {
        processing = false;
        eta = null;
        if (!_jobs.TryGetValue(id, out var job)) return false;
        lock (job)
        {
            if (job.RemainingPolls > 0)
            {
                job.RemainingPolls--;
                processing = true;
                eta = job.Eta;
            }
        }
        return true;
    }

    public void Clear() => _jobs.Clear();

    private sealed class Job(int polls, double? eta)
    {
        public int RemainingPolls { get; set; } = polls;
        public double? Eta { get; } = eta;
    }
}
