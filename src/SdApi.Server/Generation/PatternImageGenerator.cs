namespace SdApi.Server.Generation;

/// <summary>Stand-in engine until the ONNX engine is wired: a deterministic gradient per seed and sample, at the
/// requested size. It honours cancellation between rows so shutdown and timing tests behave like the real one.</summary>
public sealed class PatternImageGenerator : IImageGenerator
{
    public Task<IReadOnlyList<byte[]>> GenerateAsync(GenerationParameters parameters, IReadOnlyDictionary<string, byte[]> inputs,
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
            images.Add(PngWriter.Encode(parameters.Width, parameters.Height, rgb));
            progress?.Report((sample + 1) / (double)parameters.Samples);
        }
        return Task.FromResult<IReadOnlyList<byte[]>>(images);
    }
}
