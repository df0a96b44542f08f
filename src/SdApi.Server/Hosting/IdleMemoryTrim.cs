using System.Runtime;
using Microsoft.Extensions.Options;
using SdApi.Server.Configuration;
using SdApi.Server.Jobs;

namespace SdApi.Server.Hosting;

/// <summary>Gives memory back once the server is idle. Accepted 10 MB base64 images pass through several large
/// buffers (body, string, decoded bytes, job input), and server GC keeps the heap committed at its peak after the burst
/// (measured: 600 MB idle after 100 such requests, bench/RESULTS.md "Hardening"). When no job runs or waits and the
/// committed heap is above <see cref="LimitOptions.IdleTrimAboveBytes"/>, and at least that much was allocated since the
/// last trim (once per burst) but little since the last look (the burst is over), one
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
        using var timer = new PeriodicTimer(_limits.IdleTrimInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var allocated = GC.GetTotalAllocatedBytes();
                // quiet: almost nothing allocated since the last look, so no request is being read right now
                var quiet = allocated - allocatedAtTick < _limits.IdleTrimQuietBytes;
                allocatedAtTick = allocated;
                // once per burst: a heap that stays large because its data is live is not collected again and again
                var churned = allocated - allocatedAtTrim >= _limits.IdleTrimAboveBytes;
                var committed = GC.GetGCMemoryInfo().TotalCommittedBytes;
                if (!quiet || !churned || queue.Running > 0 || queue.Count > 0 || committed < _limits.IdleTrimAboveBytes)
                    continue;
                GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                allocatedAtTrim = allocatedAtTick = GC.GetTotalAllocatedBytes();
                var after = GC.GetGCMemoryInfo().TotalCommittedBytes;
                LogTrimmed(logger, committed >> 20, after >> 20);
                Trimmed?.Invoke(committed, after);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Idle memory trim: GC committed {BeforeMb} MB -> {AfterMb} MB.")]
    private static partial void LogTrimmed(ILogger logger, long beforeMb, long afterMb);
}
