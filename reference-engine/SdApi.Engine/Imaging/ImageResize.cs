// Hand-written, not Skia's resampling (SkiaSharp came later, issue 14): the upscale outputs are defined by this exact arithmetic.
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
        var c = image.Channels;
        var columns = Kernel(image.Width, width, filter);
        var rows = Kernel(image.Height, height, filter);
        // Separable: resize each row horizontally into floats, then each column vertically.
        var horizontal = new float[image.Height * width * c];
        for (var y = 0; y < image.Height; y++)
            for (var x = 0; x < width; x++)
                for (var ch = 0; ch < c; ch++)
                {
                    var sum = 0f;
                    for (var k = 0; k < columns.Taps; k++)
                        sum += columns.Weights[x * columns.Taps + k] * image.Pixels[(y * image.Width + columns.Indices[x * columns.Taps + k]) * c + ch];
                    horizontal[(y * width + x) * c + ch] = sum;
                }
        var output = new byte[width * height * c];
        var stride = width * c;
        for (var y = 0; y < height; y++)
            for (var i = 0; i < stride; i++)
            {
                var sum = 0f;
                for (var k = 0; k < rows.Taps; k++)
                    sum += rows.Weights[y * rows.Taps + k] * horizontal[rows.Indices[y * rows.Taps + k] * stride + i];
                output[y * stride + i] = (byte)Math.Clamp(MathF.Round(sum), 0f, 255f);
            }
        return new RgbImage(width, height, c, output);
    }

    /// <summary>Upscales by an integer factor (the API's <c>upscale</c> option uses 2 or more).</summary>
    public static RgbImage Upscale(RgbImage image, int factor, ResizeFilter filter = ResizeFilter.Bicubic)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfLessThan(factor, 1);
        return Resize(image, image.Width * factor, image.Height * factor, filter);
    }

    /// <summary>For each output position: the source indices (edge-clamped) and weights of its taps.</summary>
    private static (int Taps, int[] Indices, float[] Weights) Kernel(int source, int target, ResizeFilter filter)
    {
        var taps = filter == ResizeFilter.Bicubic ? 4 : 2;
        var indices = new int[target * taps];
        var weights = new float[target * taps];
        var scale = (double)source / target;
        for (var d = 0; d < target; d++)
        {
            var f = (d + 0.5) * scale - 0.5;
            var i0 = (int)Math.Floor(f);
            var t = f - i0;
            for (var k = 0; k < taps; k++)
            {
                indices[d * taps + k] = Math.Clamp(i0 - taps / 2 + 1 + k, 0, source - 1);
                weights[d * taps + k] = (float)(taps == 2 ? (k == 0 ? 1 - t : t) : Cubic(t + 1 - k));
            }
        }
        return (taps, indices, weights);
    }

    /// <summary>Keys' cubic convolution kernel with a = -0.5 (as PIL and OpenCV use).</summary>
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
