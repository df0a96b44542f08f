using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SdApi.Server.Generation;

namespace SdApi.Server.Tests.Infrastructure;

/// <summary>An engine stand-in that holds every generation until the test opens the gate, so queue states
/// (processing, queued, rate limits, shutdown) are deterministic.</summary>
public sealed class GatedGenerator : IImageGenerator
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CountSignal _started = new();

    public int Started => _started.Count;

    /// <summary>Completes once <paramref name="count"/> generations have started (signalled by the generating threads).</summary>
    public Task WaitForStartsAsync(int count = 1) => _started.WaitForAsync(count, "generations started");

    public void Open() => _gate.TrySetResult();

    public async Task<GeneratedImages> GenerateAsync(GenerationParameters parameters, IReadOnlyDictionary<string, byte[]> inputs,
        IProgress<double>? progress, CancellationToken ct)
    {
        _started.Increment();
        await _gate.Task.WaitAsync(ct);
        return await new PatternImageGenerator().GenerateAsync(parameters, inputs, progress, ct);
    }

    public Action<IServiceCollection> Install => services =>
    {
        services.RemoveAll<IImageGenerator>();
        services.AddSingleton<IImageGenerator>(this);
    };
}
