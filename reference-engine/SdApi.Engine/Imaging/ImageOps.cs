namespace SdApi.Engine.Imaging;

/// <summary>Crop, paste and linear blending of images.</summary>
public static class ImageOps
{
    /// <summary>The region [x, x+width) x [y, y+height), which must lie inside the image.</summary>
    public static RgbImage Crop(RgbImage image, int x, int y, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (x < 0 || y < 0 || width <= 0 || height <= 0 || x + width > image.Width || y + height > image.Height)
            throw new ArgumentOutOfRangeException(nameof(x), $"Crop {width}x{height} at ({x},{y}) is outside the {image.Width}x{image.Height} image.");
        var c = image.Channels;
        var pixels = new byte[width * height * c];
        for (var row = 0; row < height; row++)
            Array.Copy(image.Pixels, ((y + row) * image.Width + x) * c, pixels, row * width * c, width * c);
        return new RgbImage(width, height, c, pixels);
    }

    /// <summary>Copies <paramref name="source"/> onto <paramref name="target"/> at (x, y), clipped to the target;
    /// alpha is copied when both have it, set opaque when only the target has it.</summary>
    public static void Paste(RgbImage target, RgbImage source, int x, int y)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(source);
        for (var sy = Math.Max(0, -y); sy < source.Height && y + sy < target.Height; sy++)
            for (var sx = Math.Max(0, -x); sx < source.Width && x + sx < target.Width; sx++)
            {
                var s = source.IndexOf(sx, sy);
                var t = target.IndexOf(x + sx, y + sy);
                target.Pixels[t] = source.Pixels[s];
                target.Pixels[t + 1] = source.Pixels[s + 1];
                target.Pixels[t + 2] = source.Pixels[s + 2];
                if (target.HasAlpha)
                    target.Pixels[t + 3] = source.HasAlpha ? source.Pixels[s + 3] : (byte)255;
            }
    }

    /// <summary><c>(1 - t) * a + t * b</c> per sample, rounded; both images must have the same shape.</summary>
    public static RgbImage Blend(RgbImage a, RgbImage b, float t)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Width != b.Width || a.Height != b.Height || a.Channels != b.Channels)
            throw new ArgumentException("Blended images must have the same size and channels.", nameof(b));
        var pixels = new byte[a.Pixels.Length];
        for (var i = 0; i < pixels.Length; i++)
            pixels[i] = (byte)Math.Clamp(MathF.Round((1 - t) * a.Pixels[i] + t * b.Pixels[i]), 0, 255);
        return new RgbImage(a.Width, a.Height, a.Channels, pixels);
    }
}
