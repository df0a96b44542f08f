using SdApi.Engine.Imaging;
using SkiaSharp;

namespace SdApi.Engine.Tests.Imaging;

/// <summary>Test images made in code: a deterministic pattern, and its JPEG (Skia's encoder).</summary>
internal static class Fixtures
{
    /// <summary>A deterministic test image with varied content.</summary>
    public static RgbImage Pattern(int width, int height, int channels)
    {
        var pixels = new byte[width * height * channels];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                for (var c = 0; c < channels; c++)
                    pixels[(y * width + x) * channels + c] = (byte)((x * 37 + y * 91 + c * 53 + x * y) % 256);
        return new RgbImage(width, height, channels, pixels);
    }

    /// <summary>The image as a JPEG (quality 95).</summary>
    public static byte[] Jpeg(RgbImage image)
    {
        var rgba = image.ToRgba();
        using var bitmap = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        System.Runtime.InteropServices.Marshal.Copy(rgba.Pixels, 0, bitmap.GetPixels(), rgba.Pixels.Length);
        using var encoded = bitmap.Encode(SKEncodedImageFormat.Jpeg, 95);
        return encoded.ToArray();
    }
}
