using SdApi.Engine.Imaging;

namespace SdApi.Engine.Safety;

/// <summary>Applies a <see cref="SafetyCheckerType"/> to a flagged image, returning a new RGB image of the same size:
/// <list type="bullet">
/// <item><c>blur</c>: three box-blur passes (close to a Gaussian) with radius max(width, height) / 16.</item>
/// <item><c>pixelate</c>: the mean colour of each block of max(width, height) / 16 pixels square.</item>
/// <item><c>black</c>: all black.</item>
/// <item><c>sensitive_content_text</c>: black with "Sensitive content" in white (drawn in capitals), centred, as large as fits 80% of the width.</item>
/// </list></summary>
public static class SafetyActions
{
    public const string SensitiveContentText = "Sensitive content";

    public static RgbImage Apply(RgbImage image, SafetyCheckerType type)
    {
        ArgumentNullException.ThrowIfNull(image);
        var rgb = image.ToRgb();
        return type switch
        {
            SafetyCheckerType.Blur => Blur(rgb, Math.Max(1, Math.Max(rgb.Width, rgb.Height) / 16)),
            SafetyCheckerType.Pixelate => Pixelate(rgb, Math.Max(2, Math.Max(rgb.Width, rgb.Height) / 16)),
            SafetyCheckerType.Black => RgbImage.Filled(rgb.Width, rgb.Height, 0, 0, 0),
            _ => TextCard(rgb.Width, rgb.Height, SensitiveContentText),
        };
    }

    /// <summary>Black image with <paramref name="text"/> drawn in white at the largest integer scale that fits 80% of the width.</summary>
    public static RgbImage TextCard(int width, int height, string text)
    {
        var card = RgbImage.Filled(width, height, 0, 0, 0);
        var (unitW, unitH) = BitmapFont.Measure(text, 1);
        var scale = Math.Max(1, Math.Min(width * 8 / 10 / Math.Max(1, unitW), height / 2 / Math.Max(1, unitH)));
        var (w, h) = BitmapFont.Measure(text, scale);
        BitmapFont.Draw(card, text, (width - w) / 2, (height - h) / 2, scale, (255, 255, 255));
        return card;
    }

    /// <summary>Three passes of a separable box blur of the given radius (edges clamped).</summary>
    public static RgbImage Blur(RgbImage image, int radius)
    {
        ArgumentNullException.ThrowIfNull(image);
        var current = image.ToRgb();
        for (var pass = 0; pass < 3; pass++)
            current = BoxPass(BoxPass(current, radius, horizontal: true), radius, horizontal: false);
        return current;
    }

    /// <summary>Replaces each block x block square with its mean colour.</summary>
    public static RgbImage Pixelate(RgbImage image, int block)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfLessThan(block, 1);
        var result = image.ToRgb();
        for (var by = 0; by < result.Height; by += block)
            for (var bx = 0; bx < result.Width; bx += block)
            {
                int x1 = Math.Min(result.Width, bx + block), y1 = Math.Min(result.Height, by + block);
                long r = 0, g = 0, b = 0;
                for (var y = by; y < y1; y++)
                    for (var x = bx; x < x1; x++)
                    {
                        var (pr, pg, pb) = result.GetRgb(x, y);
                        r += pr; g += pg; b += pb;
                    }
                var n = (x1 - bx) * (y1 - by);
                for (var y = by; y < y1; y++)
                    for (var x = bx; x < x1; x++)
                        result.SetRgb(x, y, (byte)((r + n / 2) / n), (byte)((g + n / 2) / n), (byte)((b + n / 2) / n));
            }
        return result;
    }

    private static RgbImage BoxPass(RgbImage src, int radius, bool horizontal)
    {
        var pixels = src.Pixels;
        var dst = new byte[pixels.Length];
        int lines = horizontal ? src.Height : src.Width, length = horizontal ? src.Width : src.Height;
        // Samples of one line are `step` bytes apart, starting at `start`.
        int step = horizontal ? 3 : src.Width * 3, lineStep = horizontal ? src.Width * 3 : 3;
        var window = 2 * radius + 1;
        for (var line = 0; line < lines; line++)
        {
            var start = line * lineStep;
            for (var c = 0; c < 3; c++)
            {
                var sum = 0;
                for (var i = -radius; i <= radius; i++)
                    sum += pixels[start + Math.Clamp(i, 0, length - 1) * step + c];
                for (var i = 0; i < length; i++)
                {
                    dst[start + i * step + c] = (byte)((sum + window / 2) / window);
                    var enter = Math.Min(i + radius + 1, length - 1);
                    var leave = Math.Max(i - radius, 0);
                    sum += pixels[start + enter * step + c] - pixels[start + leave * step + c];
                }
            }
        }
        return new RgbImage(src.Width, src.Height, 3, dst);
    }
}
