namespace SdApi.Engine.Imaging;

/// <summary>EXIF orientation (tag 0x0112, values 1-8): how the stored pixels must be turned to display upright.
/// Applied to every decoded input image as diffusers' <c>load_image</c> does (PIL <c>ImageOps.exif_transpose</c>);
/// the values are those of SkiaSharp's <see cref="SkiaSharp.SKEncodedOrigin"/>.</summary>
public static class ImageOrientation
{
    /// <summary>The upright image for an EXIF orientation; 1 or an unknown value returns the image unchanged.</summary>
    public static RgbImage Apply(RgbImage image, int orientation)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (orientation is < 2 or > 8)
            return image;
        int w = image.Width, h = image.Height, c = image.Channels;
        var swap = orientation >= 5;
        var outW = swap ? h : w;
        var pixels = new byte[image.Pixels.Length];
        for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++)
            {
                var (tx, ty) = orientation switch
                {
                    2 => (w - 1 - x, y),              // mirror horizontally
                    3 => (w - 1 - x, h - 1 - y),      // rotate 180
                    4 => (x, h - 1 - y),              // mirror vertically
                    5 => (y, x),                      // transpose
                    6 => (h - 1 - y, x),              // rotate 90 clockwise
                    7 => (h - 1 - y, w - 1 - x),      // transverse
                    _ => (y, w - 1 - x),              // 8: rotate 90 counter-clockwise
                };
                Array.Copy(image.Pixels, (y * w + x) * c, pixels, (ty * outW + tx) * c, c);
            }
        return new RgbImage(outW, swap ? w : h, c, pixels);
    }
}
