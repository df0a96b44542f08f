using System.Numerics.Tensors;
using SdApi.Engine.Schedulers;

namespace SdApi.Engine.Tests.Schedulers;

/// <summary>The denoising loop exactly as the README tells the pipeline to write it, plus the measures the tests use.</summary>
internal static class SamplingLoop
{
    /// <summary>A smooth, image-like clean latent in [-1, 1] (1 x 4 x 16 x 16, flat NCHW).</summary>
    public static float[] CleanLatent(int channels = 4, int size = 16)
    {
        var x0 = new float[channels * size * size];
        for (var c = 0; c < channels; c++)
        {
            for (var y = 0; y < size; y++)
            {
                for (var x = 0; x < size; x++)
                {
                    var v = Math.Sin((x + 1.3 * c) * 0.45) * Math.Cos((y - 0.7 * c) * 0.3) * 0.8 + (0.15 * Math.Sin(0.9 * (x + y)));
                    x0[(c * size * size) + (y * size) + x] = (float)Math.Clamp(v, -1, 1);
                }
            }
        }

        return x0;
    }

    /// <summary>text2img: noise * InitNoiseSigma, then one model call per timestep entry.</summary>
    public static float[] Text2Img(Scheduler scheduler, int steps, Func<float[], double, float[]> model, ulong seed, int length)
    {
        var rng = new DeterministicRandom(seed);
        scheduler.SetTimesteps(steps);
        var latents = rng.NextGaussian(length);
        TensorPrimitives.Multiply(latents, (float)scheduler.InitNoiseSigma, latents);
        return Denoise(scheduler, scheduler.Timesteps, latents, model, rng);
    }

    /// <summary>img2img: keep the last <paramref name="strength"/> of the schedule, noise the image to its first timestep, denoise.</summary>
    public static float[] Img2Img(Scheduler scheduler, int steps, double strength, float[] image, Func<float[], double, float[]> model, ulong seed)
    {
        var rng = new DeterministicRandom(seed);
        scheduler.SetTimesteps(steps);
        var timesteps = scheduler.TimestepsForStrength(strength);
        var latents = scheduler.AddNoise(image, rng.NextGaussian(image.Length), timesteps[0]);
        return Denoise(scheduler, timesteps, latents, model, rng);
    }

    public static float[] Denoise(Scheduler scheduler, IReadOnlyList<double> timesteps, float[] latents, Func<float[], double, float[]> model, DeterministicRandom rng)
    {
        foreach (var t in timesteps)
        {
            var input = scheduler.ScaleModelInput(latents, t);
            var output = model(input, t);
            latents = scheduler.Step(output, t, latents, rng).PrevSample;
        }

        return latents;
    }

    /// <summary>PSNR in dB for latents whose range is [-1, 1] (peak-to-peak 2).</summary>
    public static double Psnr(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        var mse = 0.0;
        for (var i = 0; i < expected.Length; i++)
        {
            var d = (double)expected[i] - actual[i];
            mse += d * d;
        }

        mse /= expected.Length;
        return mse == 0 ? double.PositiveInfinity : 10 * Math.Log10(4 / mse);
    }

    public static double MaxAbsDiff(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var max = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            max = Math.Max(max, Math.Abs(a[i] - b[i]));
        }

        return max;
    }
}
