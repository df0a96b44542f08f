using System.Buffers.Binary;

namespace SdApi.Engine.Imaging;

/// <summary>Reads the orientation tag from a JPEG's APP1 Exif segment (TIFF header, IFD0 only).</summary>
internal static class JpegExif
{
    /// <summary>The orientation (1-8), or 1 when the segment is not Exif or has no valid orientation tag.</summary>
    public static int ReadOrientation(ReadOnlySpan<byte> app1)
    {
        if (app1.Length < 14 || !app1.StartsWith("Exif\0\0"u8))
            return 1;
        var tiff = app1[6..];
        var little = tiff[0] == 'I' && tiff[1] == 'I';
        if (!little && !(tiff[0] == 'M' && tiff[1] == 'M'))
            return 1;
        var ifd = U32(tiff, 4, little);
        if (ifd < 8 || ifd + 2 > tiff.Length)
            return 1;
        var count = U16(tiff, (int)ifd, little);
        for (var i = 0; i < count; i++)
        {
            var entry = (int)ifd + 2 + i * 12;
            if (entry + 12 > tiff.Length)
                return 1;
            if (U16(tiff, entry, little) == 0x0112 && U16(tiff, entry + 2, little) == 3) // orientation, type SHORT
            {
                var value = U16(tiff, entry + 8, little);
                return value is >= 1 and <= 8 ? value : 1;
            }
        }
        return 1;
    }

    private static int U16(ReadOnlySpan<byte> tiff, int at, bool little) =>
        little ? BinaryPrimitives.ReadUInt16LittleEndian(tiff[at..]) : BinaryPrimitives.ReadUInt16BigEndian(tiff[at..]);

    private static long U32(ReadOnlySpan<byte> tiff, int at, bool little) =>
        little ? BinaryPrimitives.ReadUInt32LittleEndian(tiff[at..]) : BinaryPrimitives.ReadUInt32BigEndian(tiff[at..]);
}
