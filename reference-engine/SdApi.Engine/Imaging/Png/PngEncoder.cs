// Written here, not SkiaSharp's encoder (which decodes input images): about 3x faster here, byte-identical output, and it writes the A1111 `parameters` text chunk.
using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.Intrinsics;
using System.Text;

namespace SdApi.Engine.Imaging;

/// <summary>Writes 8-bit RGB/RGBA PNGs with optional text chunks. Output is deterministic for a given runtime:
/// no time chunk, fixed filters and zlib settings (see <see cref="CompressRows"/>).</summary>
public static class PngEncoder
{
    /// <summary>Encodes <paramref name="image"/>; each text entry becomes a <c>tEXt</c> chunk (or <c>iTXt</c> UTF-8
    /// when the value has characters outside Latin-1, as PIL does), written before the image data.</summary>
    public static byte[] Encode(RgbImage image, IEnumerable<KeyValuePair<string, string>>? text = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var idat = CompressRows(image);
        using var output = new MemoryStream((int)idat.Length + 1024);
        output.Write(PngChunks.Signature);
        PngChunks.Write(output, "IHDR", Header(image));
        foreach (var (keyword, value) in text ?? [])
            WriteText(output, keyword, value);
        PngChunks.Write(output, "IDAT", idat.GetBuffer().AsSpan(0, (int)idat.Length));
        PngChunks.Write(output, "IEND", []);
        return output.ToArray();
    }

    /// <summary>Encodes with an A1111-style <c>parameters</c> text chunk (see <see cref="A1111Parameters"/>).</summary>
    public static byte[] EncodeWithParameters(RgbImage image, string parameters) =>
        Encode(image, [new(A1111Parameters.Keyword, parameters)]);

    private static byte[] Header(RgbImage image)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, (uint)image.Width);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), (uint)image.Height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = image.HasAlpha ? (byte)6 : (byte)2; // RGBA : RGB
        // compression 0, filter 0, interlace 0
        return ihdr;
    }

    private static void WriteText(Stream output, string keyword, string value)
    {
        if (keyword.Length is 0 or > 79 || keyword.Any(c => c is < ' ' or > '\u00FF'))
            throw new ArgumentException($"PNG text keyword must be 1-79 Latin-1 characters: '{keyword}'.", nameof(keyword));
        var latin1 = Encoding.Latin1;
        if (value.All(c => c <= '\u00FF'))
        {
            PngChunks.Write(output, "tEXt", [.. latin1.GetBytes(keyword), 0, .. latin1.GetBytes(value)]);
            return;
        }
        // iTXt: keyword 0 compression-flag(0) method(0) language "" 0 translated "" 0 text(UTF-8)
        PngChunks.Write(output, "iTXt", [.. latin1.GetBytes(keyword), 0, 0, 0, 0, 0, .. Encoding.UTF8.GetBytes(value)]);
    }

    /// <summary>
    /// The IDAT payload. Filter: Sub on the first row, Up on every other row (one vector subtraction per row; the
    /// per-row search over all five filters cost about 15 ms for 512x512 and saved little once deflate is tuned).
    /// Deflate: zlib's run-length strategy, which matches only at distance 1: on filtered diffusion output it is 2-3x
    /// faster than the default strategy at level 2+ and as small or smaller on photo-like rows (flat images grow a
    /// few KB), and its output does not depend on zlib's CPU-specific hash functions, so bytes stay the same across machines.
    /// </summary>
    private static MemoryStream CompressRows(RgbImage image)
    {
        var stride = image.Width * image.Channels;
        var bpp = image.Channels;
        var pixels = image.Pixels.AsSpan();
        var compressed = new MemoryStream(64 * 1024); // below the large-object heap's 85 000 bytes; grows for busy images
        var filtered = new byte[stride + 1];
        using (var zlib = new ZLibStream(compressed, DeflateOptions, leaveOpen: true))
        {
            for (var y = 0; y < image.Height; y++)
            {
                var row = pixels.Slice(y * stride, stride);
                var target = filtered.AsSpan(1);
                if (y == 0)
                {
                    filtered[0] = 1; // Sub
                    row[..bpp].CopyTo(target);
                    Subtract(row[bpp..], row[..^bpp], target[bpp..]);
                }
                else
                {
                    filtered[0] = 2; // Up
                    Subtract(row, pixels.Slice((y - 1) * stride, stride), target);
                }
                zlib.Write(filtered);
            }
        }
        return compressed;
    }

    private static readonly ZLibCompressionOptions DeflateOptions = new()
    {
        CompressionLevel = 6,
        CompressionStrategy = ZLibCompressionStrategy.RunLengthEncoding,
    };

    /// <summary>destination[i] = a[i] - b[i] (mod 256), 32 bytes at a time.</summary>
    private static void Subtract(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, Span<byte> destination)
    {
        var i = 0;
        for (; i + Vector256<byte>.Count <= a.Length; i += Vector256<byte>.Count)
            (Vector256.Create(a.Slice(i, Vector256<byte>.Count)) - Vector256.Create(b.Slice(i, Vector256<byte>.Count))).CopyTo(destination[i..]);
        for (; i < a.Length; i++)
            destination[i] = (byte)(a[i] - b[i]);
    }
}
