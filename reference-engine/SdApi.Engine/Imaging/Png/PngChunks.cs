using System.Buffers.Binary;
using System.Text;

namespace SdApi.Engine.Imaging;

/// <summary>Writes the length/type/data/CRC framing of PNG chunks (for <see cref="PngEncoder"/>).</summary>
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
        var crc = new System.IO.Hashing.Crc32(); // the chunk CRC covers type and data
        crc.Append(header[4..]);
        crc.Append(data);
        Span<byte> value = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(value, crc.GetCurrentHashAsUInt32());
        output.Write(value);
    }
}
