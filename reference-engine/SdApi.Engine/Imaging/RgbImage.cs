namespace SdApi.Engine.Imaging;

/// <summary>An 8-bit image with 3 (RGB) or 4 (RGBA) interleaved channels, rows top to bottom.</summary>
public sealed class RgbImage
{
    public RgbImage(int width, int height, int channels, byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (width <= 0 || height <= 0)
            throw new ArgumentOutOfRangeException(nameof(width), $"Image size must be positive, got {width}x{height}.");
        if (channels is not (3 or 4))
            throw new ArgumentOutOfRangeException(nameof(channels), "Channels must be 3 (RGB) or 4 (RGBA).");
        if (pixels.Length != (long)width * height * channels)
            throw new ArgumentException($"Expected {width * height * channels} bytes for {width}x{height}x{channels}, got {pixels.Length}.", nameof(pixels));
        Width = width;
        Height = height;
        Channels = channels;
        Pixels = pixels;
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>3 for RGB, 4 for RGBA.</summary>
    public int Channels { get; }

    public bool HasAlpha => Channels == 4;

    /// <summary>Row-major interleaved samples: <c>Pixels[(y * Width + x) * Channels + c]</c>.</summary>
    public byte[] Pixels { get; }

    /// <summary>A new image filled with one colour.</summary>
    public static RgbImage Filled(int width, int height, byte r, byte g, byte b)
    {
        var pixels = new byte[width * height * 3];
        for (var i = 0; i < pixels.Length; i += 3)
        {
            pixels[i] = r;
            pixels[i + 1] = g;
            pixels[i + 2] = b;
        }
        return new RgbImage(width, height, 3, pixels);
    }

    public int IndexOf(int x, int y) => (y * Width + x) * Channels;

    public (byte R, byte G, byte B) GetRgb(int x, int y)
    {
        var i = IndexOf(x, y);
        return (Pixels[i], Pixels[i + 1], Pixels[i + 2]);
    }

    public void SetRgb(int x, int y, byte r, byte g, byte b)
    {
        var i = IndexOf(x, y);
        Pixels[i] = r;
        Pixels[i + 1] = g;
        Pixels[i + 2] = b;
    }

    /// <summary>The image without alpha. Alpha is dropped, not composited (the engine feeds RGB to the VAE).</summary>
    public RgbImage ToRgb()
    {
        if (Channels == 3)
            return new RgbImage(Width, Height, 3, (byte[])Pixels.Clone());
        var rgb = new byte[Width * Height * 3];
        for (int s = 0, d = 0; d < rgb.Length; s += 4, d += 3)
        {
            rgb[d] = Pixels[s];
            rgb[d + 1] = Pixels[s + 1];
            rgb[d + 2] = Pixels[s + 2];
        }
        return new RgbImage(Width, Height, 3, rgb);
    }

    /// <summary>The image with an alpha channel (opaque where the source has none).</summary>
    public RgbImage ToRgba()
    {
        if (Channels == 4)
            return new RgbImage(Width, Height, 4, (byte[])Pixels.Clone());
        var rgba = new byte[Width * Height * 4];
        for (int s = 0, d = 0; s < Pixels.Length; s += 3, d += 4)
        {
            rgba[d] = Pixels[s];
            rgba[d + 1] = Pixels[s + 1];
            rgba[d + 2] = Pixels[s + 2];
            rgba[d + 3] = 255;
        }
        return new RgbImage(Width, Height, 4, rgba);
    }

    public RgbImage Clone() => new(Width, Height, Channels, (byte[])Pixels.Clone());
}
