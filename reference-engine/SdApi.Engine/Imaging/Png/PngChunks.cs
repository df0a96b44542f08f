using System.Buffers.Binary;
using System.Text;

namespace SdApi.Engine.Imaging;

/// <summary>Reads and writes the length/type/data/CRC framing of PNG chunks.</summary>
internal static class PngChunks
{
    public static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static void Write(Stream output, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)data.Length);
        Encoding.ASCII.GetBytes(type, header[4..]);
        output.Write(header);
        output.Write(data);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32.Compute(header[4..], data));
        output.Write(crc);
    }

    /// <summary>Splits a PNG file into its chunks, checking the signature, lengths and CRCs.</summary>
    public static List<(string Type, ReadOnlyMemory<byte> Data)> ReadAll(ReadOnlyMemory<byte> png)
    {
        var span = png.Span;
        if (span.Length < 8 || !span[..8].SequenceEqual(Signature))
            throw new ImageDecodeException("Not a PNG file (bad signature).");
        var chunks = new List<(string, ReadOnlyMemory<byte>)>();
        var pos = 8;
        while (true)
        {
            if (pos + 12 > span.Length)
                throw new ImageDecodeException("Truncated PNG: missing IEND chunk.");
            var length = BinaryPrimitives.ReadUInt32BigEndian(span[pos..]);
            if (length > int.MaxValue || pos + 12 + (long)length > span.Length)
                throw new ImageDecodeException("Truncated PNG: a chunk runs past the end of the data.");
            var typeBytes = span.Slice(pos + 4, 4);
            var type = Encoding.ASCII.GetString(typeBytes);
            var data = png.Slice(pos + 8, (int)length);
            var storedCrc = BinaryPrimitives.ReadUInt32BigEndian(span[(pos + 8 + (int)length)..]);
            if (Crc32.Compute(typeBytes, data.Span) != storedCrc)
                throw new ImageDecodeException($"Corrupt PNG: CRC mismatch in chunk '{type}'.");
            chunks.Add((type, data));
            pos += 12 + (int)length;
            if (type == "IEND")
                return chunks;
        }
    }
}
