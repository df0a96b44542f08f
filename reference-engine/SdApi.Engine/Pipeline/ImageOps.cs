namespace SdApi.Engine.Pipeline;

/// <summary>Pixel operations on packed RGB bytes: resizing (bilinear), the img2img size rule, and mask handling.</summary>
internal static class ImageOps
{
    /// <summary>Bilinear resize (pixel centres aligned), for upscale and for fitting init/mask images.</summary>
    public static byte[] Resize(byte[] rgb, int width, int height, int newWidth, int newHeight)
    {
        if (width == newWidth && height == newHeight) return (byte[])rgb.Clone();
        var result = new byte[newWidth * newHeight * 3];
        for (var y = 0; y < newHeight; y++)
        {
            var sy = Math.Clamp((y + 0.5) * height / newHeight - 0.5, 0, height - 1);
            int y0 = (int)sy, y1 = Math.Min(y0 + 1, height - 1);
            var fy = sy - y0;
            for (var x = 0; x < newWidth; x++)
            {
                var sx = Math.Clamp((x + 0.5) * width / newWidth - 0.5, 0, width - 1);
                int x0 = (int)sx, x1 = Math.Min(x0 + 1, width - 1);
                var fx = sx - x0;
                for (var c = 0; c < 3; c++)
                {
                    var top = rgb[(y0 * width + x0) * 3 + c] * (1 - fx) + rgb[(y0 * width + x1) * 3 + c] * fx;
                    var bottom = rgb[(y1 * width + x0) * 3 + c] * (1 - fx) + rgb[(y1 * width + x1) * 3 + c] * fx;
                    result[(y * newWidth + x) * 3 + c] = (byte)Math.Round(top * (1 - fy) + bottom * fy);
                }
            }
        }
        return result;
    }

    /// <summary>
    /// The working size for an init image: its own size, scaled down to fit 1024 on the longer side, rounded down to
    /// multiples of 8 (at least 8).
    /// </summary>
    public static (int Width, int Height) WorkingSize(int width, int height)
    {
        var scale = Math.Min(1.0, 1024.0 / Math.Max(width, height));
        int w = (int)(width * scale) / 8 * 8, h = (int)(height * scale) / 8 * 8;
        return (Math.Max(w, 8), Math.Max(h, 8));
    }

    /// <summary>A mask as booleans per pixel: true = repaint (brightness of at least half).</summary>
    public static bool[] Binarize(byte[] rgb)
    {
        var mask = new bool[rgb.Length / 3];
        for (var i = 0; i < mask.Length; i++)
            mask[i] = rgb[i * 3] + rgb[i * 3 + 1] + rgb[i * 3 + 2] >= 3 * 128;
        return mask;
    }

    /// <summary>The latent-resolution mask: a latent pixel is repainted when any of its 8x8 image pixels is.</summary>
    public static float[] LatentMask(bool[] mask, int width, int height)
    {
        int lw = width / 8, lh = height / 8;
        var latent = new float[lw * lh];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                if (mask[y * width + x]) latent[(y / 8) * lw + x / 8] = 1;
        return latent;
    }
}
