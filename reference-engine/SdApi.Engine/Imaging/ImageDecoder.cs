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

/// <summary>Decodes PNG/JPEG input images given as bytes or base64, choosing the format from the content.</summary>
public static class ImageDecoder
{
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

    /// <summary>Decodes a PNG or JPEG; other formats get an <see cref="ImageDecodeException"/> naming them.</summary>
    public static RgbImage Decode(ReadOnlyMemory<byte> data) => Sniff(data.Span) switch
    {
        ImageFormat.Png => PngDecoder.Decode(data),
        ImageFormat.Jpeg => JpegDecoder.Decode(data),
        ImageFormat.Unknown => throw new ImageDecodeException("Unrecognised image data: expected a PNG or JPEG file."),
        var other => throw new ImageDecodeException($"Unsupported image format {other.ToString().ToUpperInvariant()}: only PNG and JPEG are accepted."),
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
