using SdApi.Engine.Imaging;
using SdApi.Server.Generation;

namespace SdApi.Server.Tests.Infrastructure;

/// <summary>A fast stand-in engine for tests about the server's plumbing (queues, limits): a deterministic gradient per
/// seed and sample at the requested size.</summary>
public sealed class PatternImageGenerator : IImageGenerator
{
    public Task<GeneratedImages> GenerateAsync(GenerationParameters parameters, IReadOnlyDictionary<string, byte[]> inputs,
        IProgress<double>? progress, CancellationToken ct)
    {
        var images = new List<byte[]>();
        for (var sample = 0; sample < parameters.Samples; sample++)
        {
            var rgb = new byte[parameters.Width * parameters.Height * 3];
            var seed = (int)(parameters.Seed + sample);
            for (var y = 0; y < parameters.Height; y++)
            {
                ct.ThrowIfCancellationRequested();
                for (var x = 0; x < parameters.Width; x++)
                {
                    var i = (y * parameters.Width + x) * 3;
                    rgb[i] = (byte)(x + seed);
                    rgb[i + 1] = (byte)(y + seed * 7);
                    rgb[i + 2] = (byte)(x ^ y ^ seed);
                }
            }
            images.Add(PngEncoder.Encode(new RgbImage(parameters.Width, parameters.Height, 3, rgb)));
            progress?.Report((sample + 1) / (double)parameters.Samples);
        }
        return Task.FromResult(new GeneratedImages(images));
    }
}
