// Written here because the local package registry has no image codec library (ImageSharp, SkiaSharp are unavailable).
using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace SdApi.Engine.Imaging;

/// <summary>Writes 8-bit RGB/RGBA PNGs with optional text chunks. Output is deterministic for a given runtime:
/// no time chunk, fixed zlib level, a fixed per-row filter choice.</summary>
public static class PngEncoder
{
    /// <summary>Encodes <paramref name="image"/>; each text entry becomes a <c>tEXt</c> chunk (or <c>iTXt</c> UTF-8
    /// when the value has characters outside Latin-1, as PIL does), written before the image data.</summary>
    public static byte[] Encode(RgbImage image, IEnumerable<KeyValuePair<string, string>>? text = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var output = new MemoryStream();
        output.Write(PngChunks.Signature);
        PngChunks.Write(output, "IHDR", Header(image));
        foreach (var (keyword, value) in text ?? [])
            WriteText(output, keyword, value);
        PngChunks.Write(output, "IDAT", CompressRows(image));
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

    private static byte[] CompressRows(RgbImage image)
    {
        var stride = image.Width * image.Channels;
        var bpp = image.Channels;
        var filtered = new byte[(stride + 1) * image.Height];
        var candidate = new byte[stride];
        var best = new byte[stride];
        for (var y = 0; y < image.Height; y++)
        {
            var row = image.Pixels.AsSpan(y * stride, stride);
            var prior = y > 0 ? image.Pixels.AsSpan((y - 1) * stride, stride) : default;
            // Pick the filter with the smallest sum of |signed residuals| (the PNG spec's suggested heuristic).
            var bestType = 0;
            var bestScore = long.MaxValue;
            for (var type = 0; type < 5; type++)
            {
                PngFilters.Apply(type, row, prior, bpp, candidate);
                var score = 0L;
                foreach (var b in candidate)
                    score += b < 128 ? b : 256 - b;
                if (score < bestScore)
                {
                    bestScore = score;
                    bestType = type;
                    candidate.CopyTo(best, 0);
                }
            }
            var dest = y * (stride + 1);
            filtered[dest] = (byte)bestType;
            best.CopyTo(filtered, dest + 1);
        }
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            zlib.Write(filtered);
        return compressed.ToArray();
    }
}
