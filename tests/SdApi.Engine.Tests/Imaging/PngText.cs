// Test-only reader of PNG text chunks: SkiaSharp, which decodes input images, does not expose them; the tests check
// what PngEncoder wrote (tEXt, iTXt; zTXt for completeness).
using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace SdApi.Engine.Tests.Imaging;

internal static class PngText
{
    /// <summary>The text chunks by keyword, in file order; later duplicates win.</summary>
    public static IReadOnlyDictionary<string, string> Read(byte[] png)
    {
        var text = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var pos = 8; pos + 12 <= png.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos));
            var type = Encoding.ASCII.GetString(png, pos + 4, 4);
            var data = png.AsSpan(pos + 8, length);
            pos += 12 + length;
            var nul = data.IndexOf((byte)0);
            if (type is not ("tEXt" or "zTXt" or "iTXt") || nul <= 0) continue;
            var keyword = Encoding.Latin1.GetString(data[..nul]);
            var rest = data[(nul + 1)..];
            text[keyword] = type switch
            {
                "tEXt" => Encoding.Latin1.GetString(rest),
                "zTXt" => Encoding.Latin1.GetString(Inflate(rest[1..])),
                _ => International(rest),
            };
        }
        return text;
    }

    /// <summary>iTXt after the keyword: compression flag, method, language tag NUL, translated keyword NUL, UTF-8 text.</summary>
    private static string International(ReadOnlySpan<byte> rest)
    {
        var compressed = rest[0] == 1;
        rest = rest[2..];
        rest = rest[(rest.IndexOf((byte)0) + 1)..];
        rest = rest[(rest.IndexOf((byte)0) + 1)..];
        return Encoding.UTF8.GetString(compressed ? Inflate(rest) : rest.ToArray());
    }

    private static byte[] Inflate(ReadOnlySpan<byte> data)
    {
        using var input = new MemoryStream(data.ToArray());
        using var z = new ZLibStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        z.CopyTo(output);
        return output.ToArray();
    }
}
