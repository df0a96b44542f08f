using Microsoft.Extensions.Options;
using SdApi.Server.Configuration;

namespace SdApi.Server.Models;

/// <summary>The idle sweep: every quarter of <see cref="ModelOptions.IdleEviction"/> (between 100 ms and a minute), and
/// whenever a request found a model evicted, releases the engine models nobody has used for that long
/// (<see cref="ModelCatalog.ReleaseIdleAsync"/>), so an evicted model holds no memory until model_reload.</summary>
public sealed partial class ModelEvictionService(ModelCatalog models, IOptions<ServerOptions> options, ILogger<ModelEvictionService> logger)
    : BackgroundService
{
    private readonly TimeSpan _interval = TimeSpan.FromTicks(Math.Clamp(options.Value.Models.IdleEviction.Ticks / 4,
        TimeSpan.FromMilliseconds(100).Ticks, TimeSpan.FromMinutes(1).Ticks));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await models.WaitForSweepRequestAsync(_interval, stoppingToken);
                await models.ReleaseIdleAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // a failed sweep (database busy, ...) is retried at the next one
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogSweepFailed(logger, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Idle model sweep failed; retrying at the next one.")]
    private static partial void LogSweepFailed(ILogger logger, Exception e);
}
