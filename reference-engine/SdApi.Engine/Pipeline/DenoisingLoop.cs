using System.Numerics.Tensors;
using SdApi.Engine.Schedulers;

namespace SdApi.Engine.Pipeline;

/// <summary>The latent grid the loop works on: samples x channels x height x width, plus the windows the UNet sees.</summary>
internal sealed record LatentLayout(int Samples, int Channels, int Height, int Width)
{
    public int PerSample => Channels * Height * Width;

    /// <summary>Panorama: overlapping windows (x offset, width) across a wide latent; one full window otherwise.</summary>
    public IReadOnlyList<(int X, int Width)> Windows { get; init; } = [];

    public IReadOnlyList<(int X, int Width)> EffectiveWindows => Windows.Count > 0 ? Windows : [(0, Width)];

    public static IReadOnlyList<(int X, int Width)> PanoramaWindows(int height, int width) => Panorama.Windows(height, width);
}

/// <summary>
/// Panorama (MultiDiffusion-style): the UNet sees square windows of the latent's height that move across a wide
/// latent by half a window (the last one flush with the right edge); each step's noise prediction is the average of
/// the windows covering a latent pixel.
/// </summary>
public static class Panorama
{
    /// <summary>(x offset, width) of each window, in latent pixels.</summary>
    public static IReadOnlyList<(int X, int Width)> Windows(int latentHeight, int latentWidth)
    {
        if (latentWidth <= latentHeight) return [(0, latentWidth)];
        var stride = Math.Max(1, latentHeight / 2);
        var windows = new List<(int, int)>();
        for (var x = 0; ; x += stride)
        {
            if (x + latentHeight >= latentWidth) { windows.Add((latentWidth - latentHeight, latentHeight)); break; }
            windows.Add((x, latentHeight));
        }
        return windows;
    }
}

/// <summary>
/// The scheduler loop: one UNet call per timestep for the whole batch (unconditional and conditional halves when
/// guidance is on), classifier-free guidance, one scheduler and one random stream per sample (so sample i of a batch
/// equals a single-sample run with seed + i), progress after each step and cancellation between steps.
/// </summary>
internal static class DenoisingLoop
{
    public static float[][] Run(
        UnetRunner unet,
        LatentLayout layout,
        Scheduler[] schedulers,
        DeterministicRandom[] generators,
        IReadOnlyList<double> timesteps,
        float[][] latents,
        double guidanceScale,
        Action<int, float[][]>? afterStep,
        Action<int>? reportStep,
        CancellationToken cancellationToken)
    {
        var guided = guidanceScale > 1;
        for (var step = 0; step < timesteps.Count; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var t = timesteps[step];
            float[][]? inputs = null;
            if (layout.EffectiveWindows.Count == 1)
            {
                // one window: scale straight into the UNet's input buffer, then duplicate it for the conditional half
                var batch = unet.SampleBuffer(layout.Channels, layout.Height, layout.Width);
                var half = batch[..(layout.Samples * layout.PerSample)];
                for (var s = 0; s < layout.Samples; s++) schedulers[s].ScaleModelInput(latents[s], t, half.Slice(s * layout.PerSample, layout.PerSample));
                if (guided) half.CopyTo(batch[half.Length..]);
            }
            else
            {
                inputs = new float[layout.Samples][];
                for (var s = 0; s < layout.Samples; s++) inputs[s] = schedulers[s].ScaleModelInput(latents[s], t);
            }
            var eps = PredictNoise(unet, layout, inputs, t, guided, guidanceScale);
            for (var s = 0; s < layout.Samples; s++)
                latents[s] = schedulers[s].Step(eps[s], t, latents[s], generators[s]).PrevSample;
            afterStep?.Invoke(step, latents);
            reportStep?.Invoke(step + 1);
        }
        return latents;
    }

    /// <summary>Guided noise per sample; with panorama windows, the average over the windows covering each latent pixel.</summary>
    /// <remarks><paramref name="inputs"/> null: the caller already filled the UNet's input buffer (single window).</remarks>
    internal static float[][] PredictNoise(UnetRunner unet, LatentLayout layout, float[][]? inputs, double t, bool guided, double guidanceScale)
    {
        var windows = layout.EffectiveWindows;
        var single = windows.Count == 1;
        var result = new float[layout.Samples][];
        // a single window overwrites every value; panorama windows add into zeros
        for (var s = 0; s < layout.Samples; s++) result[s] = single ? GC.AllocateUninitializedArray<float>(layout.PerSample) : new float[layout.PerSample];
        var coverage = single ? null : new float[layout.Width];
        var combined = single ? null : new float[layout.Channels * layout.Height * windows.Max(w => w.Width)];
        foreach (var (x0, ww) in windows)
        {
            var copies = guided ? 2 : 1;
            var windowSize = layout.Channels * layout.Height * ww;
            var batch = unet.SampleBuffer(layout.Channels, layout.Height, ww);
            if (inputs is not null)
                for (var copy = 0; copy < copies; copy++)
                    for (var s = 0; s < layout.Samples; s++)
                        CopyWindow(inputs[s], layout, x0, ww, batch.Slice((copy * layout.Samples + s) * windowSize, windowSize));
            var eps = unet.Predict(layout.Channels, layout.Height, ww, t, x0);
            for (var s = 0; s < layout.Samples; s++)
            {
                // a single window writes straight into the result
                var target = single ? result[s].AsSpan() : combined.AsSpan(0, windowSize);
                if (guided)
                {
                    // uncond + g * (cond - uncond)
                    var uncond = eps.Slice(s * windowSize, windowSize);
                    var cond = eps.Slice((layout.Samples + s) * windowSize, windowSize);
                    TensorPrimitives.Subtract(cond, uncond, target);
                    TensorPrimitives.MultiplyAdd(target, (float)guidanceScale, uncond, target); // (x * g) + u, not fused: same rounding as multiply then add
                }
                else eps.Slice(s * windowSize, windowSize).CopyTo(target);
                if (!single) AddWindow(target, layout, x0, ww, result[s]);
            }
            if (coverage is not null) for (var x = x0; x < x0 + ww; x++) coverage[x]++;
        }
        if (coverage is not null)
            foreach (var r in result)
                for (var i = 0; i < r.Length; i++) r[i] /= coverage[i % layout.Width];
        return result;
    }

    private static void CopyWindow(float[] source, LatentLayout layout, int x0, int ww, Span<float> destination)
    {
        if (ww == layout.Width) { source.CopyTo(destination); return; }
        for (var row = 0; row < layout.Channels * layout.Height; row++)
            source.AsSpan(row * layout.Width + x0, ww).CopyTo(destination.Slice(row * ww, ww));
    }

    private static void AddWindow(ReadOnlySpan<float> window, LatentLayout layout, int x0, int ww, float[] destination)
    {
        for (var row = 0; row < layout.Channels * layout.Height; row++)
        {
            var target = destination.AsSpan(row * layout.Width + x0, ww);
            var source = window.Slice(row * ww, ww);
            for (var i = 0; i < ww; i++) target[i] += source[i];
        }
    }
}
