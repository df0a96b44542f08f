namespace SdApi.Engine.Imaging;

/// <summary>How <see cref="ImageResize"/> interpolates.</summary>
public enum ResizeFilter
{
    Bilinear,
    Bicubic,
}

/// <summary>Resizes images (upscale 2x, fitting init images to the requested size). Pixel centres are aligned
/// (<c>src = (dst + 0.5) * scale - 0.5</c>), edges clamped; no antialiasing prefilter when shrinking.</summary>
public static class ImageResize
{
    public static RgbImage Resize(RgbImage image, int width, int height, ResizeFilter filter = ResizeFilter.Bicubic)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (width <= 0 || height <= 0)
            throw new ArgumentOutOfRangeException(nameof(width), $"Target size must be positive, got {width}x{height}.");
        var channels = image.Channels;
        var output = new byte[width * height * channels];
        var sx = (double)image.Width / width;
        var sy = (double)image.Height / height;
        var taps = filter == ResizeFilter.Bicubic ? 2 : 1;
        Span<double> wx = stackalloc double[4];
        Span<double> wy = stackalloc double[4];
        for (var y = 0; y < height; y++)
        {
            var fy = (y + 0.5) * sy - 0.5;
            var y0 = (int)Math.Floor(fy);
            Weights(fy - y0, filter, wy);
            for (var x = 0; x < width; x++)
            {
                var fx = (x + 0.5) * sx - 0.5;
                var x0 = (int)Math.Floor(fx);
                Weights(fx - x0, filter, wx);
                for (var c = 0; c < channels; c++)
                {
                    var sum = 0.0;
                    for (var j = 0; j < 2 * taps; j++)
                    {
                        var py = Math.Clamp(y0 - taps + 1 + j, 0, image.Height - 1);
                        var rowSum = 0.0;
                        for (var i = 0; i < 2 * taps; i++)
                        {
                            var px = Math.Clamp(x0 - taps + 1 + i, 0, image.Width - 1);
                            rowSum += wx[i] * image.Pixels[(py * image.Width + px) * channels + c];
                        }
                        sum += wy[j] * rowSum;
                    }
                    output[(y * width + x) * channels + c] = (byte)Math.Clamp(Math.Round(sum), 0, 255);
                }
            }
        }
        return new RgbImage(width, height, channels, output);
    }

    /// <summary>Upscales by an integer factor (the API's <c>upscale</c> option uses 2 or more).</summary>
    public static RgbImage Upscale(RgbImage image, int factor, ResizeFilter filter = ResizeFilter.Bicubic)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfLessThan(factor, 1);
        return Resize(image, image.Width * factor, image.Height * factor, filter);
    }

    /// <summary>Tap weights for fractional offset t: 2 taps (bilinear) or 4 taps (Keys cubic, a = -0.5).</summary>
    private static void Weights(double t, ResizeFilter filter, Span<double> w)
    {
        if (filter == ResizeFilter.Bilinear)
        {
            w[0] = 1 - t;
            w[1] = t;
            return;
        }
        w[0] = Cubic(t + 1);
        w[1] = Cubic(t);
        w[2] = Cubic(1 - t);
        w[3] = Cubic(2 - t);
    }

    private static double Cubic(double x)
    {
        const double a = -0.5;
        x = Math.Abs(x);
        if (x <= 1)
            return ((a + 2) * x - (a + 3)) * x * x + 1;
        if (x < 2)
            return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
        return 0;
    }
}
