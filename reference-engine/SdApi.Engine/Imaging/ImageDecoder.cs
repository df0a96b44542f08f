using SkiaSharp;

namespace SdApi.Engine.Imaging;

/// <summary>The file formats <see cref="ImageDecoder"/> recognises by their first bytes.</summary>
public enum ImageFormat
{
    Unknown,
    Png,
    Jpeg,
    Gif,
    WebP,
    Bmp,
}

/// <summary>
/// Decodes PNG/JPEG input images (untrusted: any URL or base64) given as bytes or base64, choosing the format from the
/// content, with SkiaSharp's <see cref="SKCodec"/>: the header's size is checked against <see cref="MaxPixels"/> before
/// any pixel buffer exists, every decode result other than complete success is refused (Skia otherwise fills the
/// missing rows of a truncated file silently), and the EXIF orientation is applied, as diffusers' <c>load_image</c> does.
/// </summary>
public static class ImageDecoder
{
    /// <summary>32 Mpx (e.g. 8192x4096) bounds the memory a hostile header can make us allocate.</summary>
    public const long MaxPixels = 32L * 1024 * 1024;

    public static ImageFormat Sniff(ReadOnlySpan<byte> data)
    {
        if (data.StartsWith(PngChunks.Signature))
            return ImageFormat.Png;
        if (data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
            return ImageFormat.Jpeg;
        if (data.StartsWith("GIF8"u8))
            return ImageFormat.Gif;
        if (data.Length >= 12 && data.StartsWith("RIFF"u8) && data[8..12].SequenceEqual("WEBP"u8))
            return ImageFormat.WebP;
        if (data.StartsWith("BM"u8))
            return ImageFormat.Bmp;
        return ImageFormat.Unknown;
    }

    /// <summary>Decodes a PNG or JPEG (RGB, or RGBA when the image has alpha), upright per its EXIF orientation;
    /// anything else, and any damaged file, gets an <see cref="ImageDecodeException"/> saying why.</summary>
    public static RgbImage Decode(ReadOnlyMemory<byte> data)
    {
        var format = Sniff(data.Span) switch
        {
            ImageFormat.Png => "PNG",
            ImageFormat.Jpeg => "JPEG",
            ImageFormat.Unknown => throw new ImageDecodeException("Unrecognised image data: expected a PNG or JPEG file."),
            var other => throw new ImageDecodeException($"Unsupported image format {other.ToString().ToUpperInvariant()}: only PNG and JPEG are accepted."),
        };
        using var bytes = SKData.CreateCopy(data.Span);
        using var codec = SKCodec.Create(new SKMemoryStream(bytes), out var opened); // the codec owns the stream
        if (codec is null)
            throw new ImageDecodeException(Problem(format, opened));
        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if (width <= 0 || height <= 0 || (long)width * height > MaxPixels)
            throw new ImageDecodeException($"Unsupported image size {width}x{height} (at most {MaxPixels} pixels).");

        // Straight (unpremultiplied) RGBA and no colour-space conversion: the file's own samples.
        var target = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var rgba = GC.AllocateUninitializedArray<byte>(target.BytesSize);
        SKCodecResult decoded;
        unsafe
        {
            fixed (byte* pixels = rgba)
                decoded = codec.GetPixels(target, (nint)pixels);
        }
        if (decoded != SKCodecResult.Success)
            throw new ImageDecodeException(Problem(format, decoded));
        var image = new RgbImage(width, height, 4, rgba);
        if (codec.Info.AlphaType == SKAlphaType.Opaque)
            image = image.ToRgb();
        return ImageOrientation.Apply(image, (int)codec.EncodedOrigin);
    }

    private static string Problem(string format, SKCodecResult result) => result switch
    {
        SKCodecResult.IncompleteInput => $"Truncated {format}: the image data ends before the image does.",
        SKCodecResult.ErrorInInput or SKCodecResult.InvalidInput => $"Corrupt {format}: the image data is damaged.",
        SKCodecResult.Unimplemented or SKCodecResult.InvalidConversion => $"Unsupported {format}: this kind of {format} cannot be decoded.",
        _ => $"Corrupt {format}: it cannot be decoded ({result}).",
    };

    /// <summary>Decodes base64 image data, with or without a <c>data:image/...;base64,</c> prefix; whitespace is ignored.</summary>
    public static RgbImage DecodeBase64(string base64) => Decode(FromBase64(base64));

    /// <summary>The bytes of base64 image data, with or without a <c>data:</c> URL prefix.</summary>
    public static byte[] FromBase64(string base64)
    {
        ArgumentNullException.ThrowIfNull(base64);
        var text = base64.Trim();
        if (text.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            var comma = text.IndexOf(',', StringComparison.Ordinal);
            if (comma < 0 || !text[..comma].EndsWith(";base64", StringComparison.OrdinalIgnoreCase))
                throw new ImageDecodeException("A data: URL image must be base64 encoded (data:image/png;base64,...).");
            text = text[(comma + 1)..];
        }
        // URL-safe alphabet and missing padding are common in hand-made payloads.
        var cleaned = new string(text.Where(c => !char.IsWhiteSpace(c)).Select(c => c switch { '-' => '+', '_' => '/', _ => c }).ToArray());
        cleaned = cleaned.PadRight((cleaned.Length + 3) / 4 * 4, '=');
        try
        {
            return Convert.FromBase64String(cleaned);
        }
        catch (FormatException e)
        {
            throw new ImageDecodeException("The image is not valid base64.", e);
        }
    }
}
