using System.Diagnostics;
using Microsoft.Extensions.Options;
using SdApi.Server.Configuration;
using SdApi.Server.Generation;
using SdApi.Server.Models;
using SdApi.Server.Outputs;
using SdApi.Server.Webhooks;

namespace SdApi.Server.Jobs;

/// <summary>Runs queued jobs, at most <see cref="JobOptions.MaxConcurrentGenerations"/> at a time. On start it requeues
/// every job the last process accepted but did not finish; on graceful shutdown running jobs get
/// <see cref="JobOptions.ShutdownGrace"/> to finish and are otherwise put back to <c>Queued</c> for the next start.</summary>
public sealed partial class JobRunner(
    JobStore store,
    JobQueue queue,
    JobCompletions completions,
    IImageGenerator generator,
    OutputStore outputs,
    ModelCatalog models,
    WebhookDispatcher webhooks,
    TimeProvider clock,
    IOptions<ServerOptions> options,
    ILogger<JobRunner> logger) : BackgroundService
{
    private readonly JobOptions _options = options.Value.Jobs;
    private readonly CancellationTokenSource _abort = new();
    private double _averageSeconds = 5;

    /// <summary>Seconds a new job is expected to wait and run (for <c>eta</c>).</summary>
    public double EstimateEta() =>
        Math.Max(1, Volatile.Read(ref _averageSeconds) * (1 + queue.Count / (double)Math.Max(1, _options.MaxConcurrentGenerations)));

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var id in await store.UnfinishedAsync(cancellationToken))
        {
            var job = await store.GetAsync(id, cancellationToken);
            if (job is not null && job.Attempts >= _options.MaxAttempts)
            {
                // Started this often and never finished: the job itself may be what stops the process.
                await store.FailAsync(id, "Failed, Try Again: the generation was interrupted by server restarts.", clock.GetUtcNow(), cancellationToken);
                continue;  // its webhook goes out with the pending ones below
            }
            await store.SetStatusAsync(id, JobStatus.Queued, cancellationToken);
            queue.Enqueue(id);
        }
        // Webhooks of jobs that finished just before the process stopped are delivered now (receivers may get one twice,
        // as the API documents).
        foreach (var id in await store.PendingWebhooksAsync(cancellationToken))
            webhooks.Enqueue((await store.GetAsync(id, cancellationToken))!);
        await base.StartAsync(cancellationToken);
    }

    /// <summary>Raised when every generation slot is taken and the dispatch loop waits for one to free: until a running
    /// generation ends, no further job starts.</summary>
    internal event Action? AllSlotsBusy;

    /// <summary>One dispatch loop hands queued jobs to at most <see cref="JobOptions.MaxConcurrentGenerations"/>
    /// generations at a time (a slot is taken before a job is dequeued, so a job never waits dequeued).</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // When the host stops, running generations get the grace period, then are aborted and requeued.
        stoppingToken.Register(() => _abort.CancelAfter(_options.ShutdownGrace));
        using var slots = new SemaphoreSlim(Math.Max(1, _options.MaxConcurrentGenerations));
        var running = new List<Task>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (!slots.Wait(0))
                {
                    AllSlotsBusy?.Invoke();
                    await slots.WaitAsync(stoppingToken);
                }
                long id;
                try { id = await queue.DequeueAsync(stoppingToken); }
                catch (OperationCanceledException) { slots.Release(); break; }
                queue.MarkStarted();
                running.RemoveAll(t => t.IsCompleted);
                running.Add(Task.Run(async () =>
                {
                    try { await RunAsync(id); }
#pragma warning disable CA1031 // a job whose bookkeeping failed (database gone) must not stop the dispatch of the others
                    catch (Exception e)
#pragma warning restore CA1031
                    {
                        LogFailed(logger, id, e);
                    }
                    finally
                    {
                        queue.MarkStopped();
                        slots.Release();
                    }
                }, CancellationToken.None));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await Task.WhenAll(running);
    }

    private async Task RunAsync(long id)
    {
        var job = await store.GetAsync(id, CancellationToken.None);
        if (job is null || job.IsFinished)
            return;
        await store.MarkRunningAsync(id, CancellationToken.None);
        var watch = Stopwatch.StartNew();
        try
        {
            var call = JobResponses.Call(job)
                ?? throw new GenerationException($"{job.Operation} is no generate operation of this server's spec.");
            var parameters = GenerationParameters.From(call, job.Seed);
            var inputs = await store.GetInputsAsync(id, CancellationToken.None);
            var images = await generator.GenerateAsync(parameters, inputs, null, _abort.Token);
            for (var i = 0; i < job.OutputFiles.Count && i < images.Pngs.Count; i++)
                await outputs.WriteAsync(job.OutputFiles[i], images.Pngs[i], CancellationToken.None);
            var seconds = watch.Elapsed.TotalSeconds;
            Volatile.Write(ref _averageSeconds, (_averageSeconds * 3 + seconds) / 4);
            await store.CompleteAsync(id, seconds, images, clock.GetUtcNow(), CancellationToken.None);
            await models.MarkUsedAsync(parameters.ModelId, CancellationToken.None);
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            await store.RequeueAsync(id, CancellationToken.None);
            LogRequeued(logger, id);
            return;
        }
#pragma warning disable CA1031 // any engine failure ends the job as failed with a message; the process carries on
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogFailed(logger, id, e);
            await store.FailAsync(id, FailureMessage(e), clock.GetUtcNow(), CancellationToken.None);
        }
        var finished = (await store.GetAsync(id, CancellationToken.None))!;
        completions.Finished(finished);
        webhooks.Enqueue(finished);
    }

    private static string FailureMessage(Exception e) =>
        e is GenerationException or ArgumentException or InvalidOperationException or NotSupportedException ? e.Message : "Failed, Try Again";

    public override void Dispose()
    {
        _abort.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} interrupted by shutdown; requeued.")]
    private static partial void LogRequeued(ILogger logger, long jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} failed.")]
    private static partial void LogFailed(ILogger logger, long jobId, Exception e);
}
