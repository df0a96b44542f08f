using SdApi.Engine.Imaging;

namespace SdApi.Engine.Tests.Pipeline;

/// <summary>Pixel measures used to check that the built-in model behaves like a diffusion model.</summary>
public static class ImageMeasures
{
    /// <summary>Mean absolute difference of two equally sized 8-bit images, 0..255.</summary>
    public static double MeanAbsoluteDifference(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (a.Length != b.Length) throw new ArgumentException("Images differ in size.", nameof(b));
        long sum = 0;
        for (var i = 0; i < a.Length; i++) sum += Math.Abs(a[i] - b[i]);
        return (double)sum / a.Length;
    }

    /// <summary>High-frequency energy: mean squared difference between horizontally and vertically adjacent pixels (all channels).</summary>
    public static double HighFrequencyEnergy(ReadOnlySpan<byte> rgb, int width, int height)
    {
        double sum = 0;
        long count = 0;
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                for (var c = 0; c < 3; c++)
                {
                    var v = rgb[(y * width + x) * 3 + c];
                    if (x + 1 < width) { var d = v - rgb[(y * width + x + 1) * 3 + c]; sum += d * d; count++; }
                    if (y + 1 < height) { var d = v - rgb[((y + 1) * width + x) * 3 + c]; sum += d * d; count++; }
                }
        return sum / count;
    }

    /// <summary>
    /// A photo-like init image (sky gradient, sun, hills, a house) drawn at the oracle VAE's resolution: each 8x8
    /// block has one colour, so the oracle's VAE round trip returns it exactly and any change is the model's doing.
    /// </summary>
    public static RgbImage Landscape(int width, int height)
    {
        var image = RgbImage.Filled(width, height, 0, 0, 0);
        for (var by = 0; by < height / 8; by++)
            for (var bx = 0; bx < width / 8; bx++)
            {
                var u = (bx + 0.5) * 8 / width;
                var v = (by + 0.5) * 8 / height;
                var horizon = 0.62 + 0.08 * Math.Sin(u * 7.0);
                double r, g, b;
                if (v < horizon) { r = 90 + 110 * v; g = 150 + 80 * v; b = 235 - 20 * v; }                // sky, lighter towards the horizon
                else { r = 70 - 40 * (v - horizon); g = 150 - 90 * (v - horizon); b = 50; }                    // hills, darker towards the bottom
                if (Math.Pow(u - 0.75, 2) + Math.Pow((v - 0.22) * height / width, 2) < 0.012) { r = 250; g = 215; b = 90; } // sun
                if (u is > 0.18 and < 0.4 && v > horizon - 0.16 && v < horizon + 0.08) { r = 180; g = 70; b = 55; }      // house
                for (var y = 0; y < 8; y++)
                    for (var x = 0; x < 8; x++)
                        image.SetRgb(bx * 8 + x, by * 8 + y, (byte)Math.Clamp(r, 0, 255), (byte)Math.Clamp(g, 0, 255), (byte)Math.Clamp(b, 0, 255));
            }
        return image;
    }
}
