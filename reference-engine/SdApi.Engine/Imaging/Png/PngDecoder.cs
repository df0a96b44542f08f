// Written here because the local package registry has no image codec library (ImageSharp, SkiaSharp are unavailable).
using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace SdApi.Engine.Imaging;

/// <summary>Decodes PNG: every colour type (grey, RGB, palette, grey+alpha, RGBA), bit depths 1-16 (16-bit keeps
/// the high byte), tRNS transparency, Adam7 interlacing. Output is RGB, or RGBA when the file has alpha or tRNS.</summary>
public static class PngDecoder
{
    // 32 Mpx (e.g. 8192x4096) bounds the memory a hostile header can make us allocate.
    private const long MaxPixels = 32L * 1024 * 1024;

    public static RgbImage Decode(ReadOnlyMemory<byte> png)
    {
        var chunks = PngChunks.ReadAll(png);
        if (chunks[0].Type != "IHDR" || chunks[0].Data.Length != 13)
            throw new ImageDecodeException("Corrupt PNG: the first chunk is not a 13-byte IHDR.");
        var header = PngHeader.Parse(chunks[0].Data.Span);
        byte[]? palette = null;
        byte[]? transparency = null;
        using var idat = new MemoryStream();
        foreach (var (type, data) in chunks)
        {
            switch (type)
            {
                case "PLTE": palette = data.ToArray(); break;
                case "tRNS": transparency = data.ToArray(); break;
                case "IDAT": idat.Write(data.Span); break;
            }
        }
        if (idat.Length == 0)
            throw new ImageDecodeException("Corrupt PNG: no IDAT image data.");
        if (header.ColorType == 3 && palette is null)
            throw new ImageDecodeException("Corrupt PNG: palette image without a PLTE chunk.");
        var raw = Inflate(idat.ToArray(), header);
        var samples = header.Interlaced ? Adam7.Deinterlace(raw, header) : Unfilter(raw, header, header.Width, header.Height, 0);
        return PngPixels.ToImage(samples, header, palette, transparency);
    }

    /// <summary>The text chunks (tEXt, zTXt, iTXt) by keyword, in file order; later duplicates win.</summary>
    public static IReadOnlyDictionary<string, string> ReadText(ReadOnlyMemory<byte> png)
    {
        var text = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (type, data) in PngChunks.ReadAll(png))
        {
            var span = data.Span;
            var nul = span.IndexOf((byte)0);
            if (type is not ("tEXt" or "zTXt" or "iTXt") || nul <= 0)
                continue;
            var keyword = Encoding.Latin1.GetString(span[..nul]);
            var rest = span[(nul + 1)..];
            text[keyword] = type switch
            {
                "tEXt" => Encoding.Latin1.GetString(rest),
                "zTXt" => rest.Length > 1 ? Encoding.Latin1.GetString(InflateText(rest[1..])) : "",
                _ => ReadInternational(rest),
            };
        }
        return text;
    }

    private static string ReadInternational(ReadOnlySpan<byte> rest)
    {
        if (rest.Length < 2)
            return "";
        var compressed = rest[0] == 1;
        rest = rest[2..];
        for (var skip = 0; skip < 2; skip++) // language tag, translated keyword
        {
            var nul = rest.IndexOf((byte)0);
            if (nul < 0)
                return "";
            rest = rest[(nul + 1)..];
        }
        return Encoding.UTF8.GetString(compressed ? InflateText(rest) : rest);
    }

    /// <summary>Inflates a compressed text chunk; a corrupt one reads as empty (text is metadata, not worth failing for).</summary>
    private static byte[] InflateText(ReadOnlySpan<byte> data)
    {
        try
        {
            using var input = new MemoryStream(data.ToArray());
            using var zlib = new ZLibStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream();
            zlib.CopyTo(output);
            return output.ToArray();
        }
        catch (InvalidDataException)
        {
            return [];
        }
    }

    private static byte[] Inflate(byte[] idat, PngHeader header)
    {
        var expected = header.Interlaced ? Adam7.RawSize(header) : (header.RowBytes(header.Width) + 1L) * header.Height;
        try
        {
            using var input = new MemoryStream(idat);
            using var zlib = new ZLibStream(input, CompressionMode.Decompress);
            // Grow with the data actually present, so a header promising a huge image costs nothing until it is backed by data.
            using var raw = new MemoryStream();
            var buffer = new byte[64 * 1024];
            int read;
            while (raw.Length < expected && (read = zlib.Read(buffer)) > 0)
                raw.Write(buffer, 0, (int)Math.Min(read, expected - raw.Length));
            if (raw.Length < expected)
                throw new ImageDecodeException("Truncated PNG: the image data is shorter than the header promises.");
            return raw.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new ImageDecodeException("Corrupt PNG: the image data is not valid zlib.", e);
        }
    }

    /// <summary>Removes row filters from a (sub-)image stored at <paramref name="offset"/> in <paramref name="raw"/>;
    /// returns the packed rows without filter bytes.</summary>
    internal static byte[] Unfilter(byte[] raw, PngHeader header, int width, int height, int offset)
    {
        var rowBytes = header.RowBytes(width);
        var bpp = Math.Max(1, header.BitsPerPixel / 8);
        var result = new byte[rowBytes * height];
        for (var y = 0; y < height; y++)
        {
            var src = offset + y * (rowBytes + 1);
            var row = result.AsSpan(y * rowBytes, rowBytes);
            raw.AsSpan(src + 1, rowBytes).CopyTo(row);
            var prior = y > 0 ? result.AsSpan((y - 1) * rowBytes, rowBytes) : default;
            PngFilters.Undo(raw[src], row, prior, bpp);
        }
        return result;
    }

    internal static long CheckedPixels(int width, int height)
    {
        var pixels = (long)width * height;
        if (width <= 0 || height <= 0 || pixels > MaxPixels)
            throw new ImageDecodeException($"Unsupported image size {width}x{height} (at most {MaxPixels} pixels).");
        return pixels;
    }
}

/// <summary>The IHDR fields.</summary>
internal sealed record PngHeader(int Width, int Height, int BitDepth, int ColorType, bool Interlaced)
{
    public int SamplesPerPixel => ColorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, _ => 4 };

    public int BitsPerPixel => SamplesPerPixel * BitDepth;

    public int RowBytes(int width) => (int)((width * (long)BitsPerPixel + 7) / 8);

    public static PngHeader Parse(ReadOnlySpan<byte> ihdr)
    {
        var width = (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(ihdr), int.MaxValue);
        var height = (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(ihdr[4..]), int.MaxValue);
        int depth = ihdr[8], color = ihdr[9];
        PngDecoder.CheckedPixels(width, height);
        var valid = color switch
        {
            0 => depth is 1 or 2 or 4 or 8 or 16,
            3 => depth is 1 or 2 or 4 or 8,
            2 or 4 or 6 => depth is 8 or 16,
            _ => false,
        };
        if (!valid)
            throw new ImageDecodeException($"Corrupt PNG: colour type {color} with bit depth {depth} is not allowed.");
        if (ihdr[10] != 0 || ihdr[11] != 0 || ihdr[12] > 1)
            throw new ImageDecodeException("Corrupt PNG: unknown compression, filter or interlace method.");
        return new PngHeader(width, height, depth, color, ihdr[12] == 1);
    }
}
