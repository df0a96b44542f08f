using System.Threading.Channels;
using Microsoft.Extensions.Options;
using SdApi.Server.Configuration;
using SdApi.Server.Jobs;
using SdApi.Server.Net;

namespace SdApi.Server.Webhooks;

/// <summary>Delivers a finished job's webhook payload: POST, retried with exponential backoff up to
/// <see cref="WebhookOptions.MaxAttempts"/>, through <see cref="GuardedHttp"/>. Deliveries run apart from
/// generation: a slow or failing receiver never holds up a job. The backoff runs on the host's <see cref="TimeProvider"/>.</summary>
public sealed partial class WebhookDispatcher(
    GuardedHttp http, JobStore store, TimeProvider clock, IOptions<ServerOptions> options, ILogger<WebhookDispatcher> logger) : BackgroundService
{
    private readonly Channel<JobRecord> _pending = Channel.CreateUnbounded<JobRecord>();
    private readonly WebhookOptions _options = options.Value.Webhooks;

    /// <summary>Raised when a job's delivery is over, with the job id and its final webhook_status (sent, blocked,
    /// failed): after this no further attempt for that job is made by this process.</summary>
    internal event Action<long, string>? DeliveryEnded;

    public void Enqueue(JobRecord job)
    {
        if (!string.IsNullOrWhiteSpace(job.Webhook))
            _pending.Writer.TryWrite(job);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var running = new List<Task>();
        try
        {
            await foreach (var job in _pending.Reader.ReadAllAsync(stoppingToken))
            {
                running.RemoveAll(t => t.IsCompleted);
                running.Add(DeliverAsync(job, stoppingToken));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await Task.WhenAll(running.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
    }

    private async Task DeliverAsync(JobRecord job, CancellationToken ct)
    {
        var body = System.Text.Encoding.UTF8.GetString(JobResponses.Serialize(JobResponses.Webhook(job)));
        var delay = _options.InitialBackoff;
        for (var attempt = 1; attempt <= _options.MaxAttempts; attempt++)
        {
            string outcome;
            try
            {
                if (await http.PostJsonAsync(job.Webhook!, body, _options.Timeout, ct))
                {
                    await EndAsync(job.Id, "sent");
                    return;
                }
                outcome = "non-2xx answer";
            }
            catch (UrlFetchException e)
            {
                outcome = e.Reason;
                if (e.Reason == GuardedHttp.BlockedReason)
                {
                    // retrying cannot help; said in the log and in the job's webhook_status
                    LogBlocked(logger, job.Id);
                    await EndAsync(job.Id, "blocked");
                    return;
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            LogAttemptFailed(logger, job.Id, attempt, outcome);
            if (attempt < _options.MaxAttempts)
            {
                try { await Task.Delay(delay, clock, ct); }
                catch (OperationCanceledException) { return; }
                delay *= 2;
            }
        }
        LogGaveUp(logger, job.Id, _options.MaxAttempts);
        await EndAsync(job.Id, "failed");
    }

    private async Task EndAsync(long jobId, string webhookStatus)
    {
        await store.SetWebhookStatusAsync(jobId, webhookStatus, CancellationToken.None);
        DeliveryEnded?.Invoke(jobId, webhookStatus);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook for job {JobId} not delivered: its address is not allowed (loopback, private or metadata; see SdApi:UrlFetch:AllowedHosts).")]
    private static partial void LogBlocked(ILogger logger, long jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook for job {JobId} not delivered after {Attempts} attempts; webhook_status is failed.")]
    private static partial void LogGaveUp(ILogger logger, long jobId, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook for job {JobId}: attempt {Attempt} failed ({Outcome}).")]
    private static partial void LogAttemptFailed(ILogger logger, long jobId, int attempt, string outcome);
}
