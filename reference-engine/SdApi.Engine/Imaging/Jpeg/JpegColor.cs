namespace SdApi.Engine.Imaging;

/// <summary>Turns decoded coefficient blocks into an RGB image: IDCT per component plane, replicate-upsample,
/// then YCbCr -> RGB (JFIF, full range) unless the file says its components are RGB.</summary>
internal static class JpegColor
{
    public static RgbImage ToImage(JpegFrame frame, ushort[][] quant, int? adobeTransform)
    {
        var planes = new List<(byte[] Samples, int Stride)>();
        foreach (var c in frame.Components)
        {
            var table = quant[c.QuantTable] ?? throw new ImageDecodeException($"Corrupt JPEG: quantisation table {c.QuantTable} was never defined.");
            var stride = c.BlocksPerLineForMcu * 8;
            var samples = new byte[stride * c.BlocksPerColumnForMcu * 8];
            for (var row = 0; row < c.BlocksPerColumnForMcu; row++)
                for (var col = 0; col < c.BlocksPerLineForMcu; col++)
                    JpegIdct.Transform(c.Coefficients.AsSpan(c.BlockOffset(row, col), 64), table, samples, row * 8 * stride + col * 8, stride);
            planes.Add((samples, stride));
        }
        var isRgb = frame.Components.Count == 3 && (adobeTransform == 0
            || (adobeTransform is null && frame.Components[0].Id == 'R' && frame.Components[1].Id == 'G' && frame.Components[2].Id == 'B'));
        var pixels = new byte[frame.Width * frame.Height * 3];
        Span<int> sample = stackalloc int[3];
        for (var y = 0; y < frame.Height; y++)
            for (var x = 0; x < frame.Width; x++)
            {
                for (var i = 0; i < frame.Components.Count; i++)
                {
                    var c = frame.Components[i];
                    var (samples, stride) = planes[i];
                    sample[i] = samples[y * c.V / frame.MaxV * stride + x * c.H / frame.MaxH];
                }
                var o = (y * frame.Width + x) * 3;
                if (frame.Components.Count == 1)
                {
                    pixels[o] = pixels[o + 1] = pixels[o + 2] = (byte)sample[0];
                    continue;
                }
                if (isRgb)
                {
                    (pixels[o], pixels[o + 1], pixels[o + 2]) = ((byte)sample[0], (byte)sample[1], (byte)sample[2]);
                    continue;
                }
                float luma = sample[0], cb = sample[1] - 128f, cr = sample[2] - 128f;
                pixels[o] = Clamp(luma + 1.402f * cr);
                pixels[o + 1] = Clamp(luma - 0.344136f * cb - 0.714136f * cr);
                pixels[o + 2] = Clamp(luma + 1.772f * cb);
            }
        return new RgbImage(frame.Width, frame.Height, 3, pixels);
    }

    private static byte Clamp(float v) => (byte)Math.Clamp(MathF.Round(v), 0f, 255f);
}
