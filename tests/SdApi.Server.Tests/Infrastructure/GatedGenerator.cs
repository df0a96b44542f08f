using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SdApi.Server.Generation;

namespace SdApi.Server.Tests.Infrastructure;

/// <summary>An engine stand-in that holds every generation until the test opens the gate, so queue states
/// (processing, queued, rate limits, shutdown) are deterministic.</summary>
public sealed class GatedGenerator : IImageGenerator
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];
    private int _started;

    public int Started => Volatile.Read(ref _started);

    /// <summary>Completes once <paramref name="count"/> generations have started (signalled by the generating threads,
    /// so no test polls or sleeps for it); fails after 30 s so a broken server cannot hang the suite.</summary>
    public Task WaitForStartsAsync(int count = 1)
    {
        lock (_waiters)
        {
            if (_started >= count) return Task.CompletedTask;
            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, reached));
            return reached.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    public void Open() => _gate.TrySetResult();

    public async Task<GeneratedImages> GenerateAsync(GenerationParameters parameters, IReadOnlyDictionary<string, byte[]> inputs,
        IProgress<double>? progress, CancellationToken ct)
    {
        lock (_waiters)
        {
            var started = Interlocked.Increment(ref _started);
            foreach (var waiter in _waiters.Where(w => started >= w.Count).ToList())
            {
                waiter.Reached.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
        await _gate.Task.WaitAsync(ct);
        return await new PatternImageGenerator().GenerateAsync(parameters, inputs, progress, ct);
    }

    public Action<IServiceCollection> Install => services =>
    {
        services.RemoveAll<IImageGenerator>();
        services.AddSingleton<IImageGenerator>(this);
    };
}
