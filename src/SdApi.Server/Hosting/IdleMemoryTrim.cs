using System.Runtime;
using Microsoft.Extensions.Options;
using SdApi.Server.Configuration;
using SdApi.Server.Jobs;

namespace SdApi.Server.Hosting;

/// <summary>Gives memory back once the server is idle. Accepted 10 MB base64 images pass through several large
/// buffers (body, string, decoded bytes, job input), and server GC keeps the heap committed at its peak after the burst
/// (measured: 600 MB idle after 100 such requests, bench/RESULTS.md "Hardening"). When no job runs or waits and the
/// committed heap is above <see cref="LimitOptions.IdleTrimAboveBytes"/>, at least that much was allocated since the
/// last trim or the heap grew by a quarter since (once per burst), but little since the last look (the burst is over), one
/// aggressive compacting collection (<see cref="GCCollectionMode.Aggressive"/>, the runtime's mode for an app that has
/// gone idle) decommits the free part.</summary>
public sealed partial class IdleMemoryTrim(JobQueue queue, TimeProvider clock, IOptions<ServerOptions> options, ILogger<IdleMemoryTrim> logger)
    : BackgroundService
{
    private readonly LimitOptions _limits = options.Value.Limits;

    /// <summary>Raised after a trim with the committed GC bytes before and after it.</summary>
    internal event Action<long, long>? Trimmed;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_limits.IdleTrimInterval <= TimeSpan.Zero)
            return;
        var allocatedAtTrim = GC.GetTotalAllocatedBytes();
        var allocatedAtTick = allocatedAtTrim;
        var committedAfterTrim = GC.GetGCMemoryInfo().TotalCommittedBytes;
        using var timer = new PeriodicTimer(_limits.IdleTrimInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var allocated = GC.GetTotalAllocatedBytes();
                // quiet: almost nothing allocated since the last look, so no request is being read right now
                var quiet = allocated - allocatedAtTick < _limits.IdleTrimQuietBytes;
                allocatedAtTick = allocated;
                // once per burst: a heap that stays large because its data is live is not collected again and again,
                // but one that grew by a quarter since the last trim (a burst with a lull in it) is looked at again
                var committed = GC.GetGCMemoryInfo().TotalCommittedBytes;
                var churned = allocated - allocatedAtTrim >= _limits.IdleTrimAboveBytes || committed > committedAfterTrim + committedAfterTrim / 4;
                if (!quiet || !churned || queue.Running > 0 || queue.Count > 0 || committed < _limits.IdleTrimAboveBytes)
                    continue;
                GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                allocatedAtTrim = allocatedAtTick = GC.GetTotalAllocatedBytes();
                committedAfterTrim = GC.GetGCMemoryInfo().TotalCommittedBytes;
                LogTrimmed(logger, committed >> 20, committedAfterTrim >> 20);
                Trimmed?.Invoke(committed, committedAfterTrim);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Idle memory trim: GC committed {BeforeMb} MB -> {AfterMb} MB.")]
    private static partial void LogTrimmed(ILogger logger, long beforeMb, long afterMb);
}
