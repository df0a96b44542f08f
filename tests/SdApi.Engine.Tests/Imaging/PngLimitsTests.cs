using System.Buffers.Binary;
using SdApi.Engine.Imaging;

namespace SdApi.Engine.Tests.Imaging;

public class PngLimitsTests
{
    [Fact]
    public void Huge_dimensions_are_rejected_before_allocating()
    {
        var png = PngEncoder.Encode(Fixtures.Pattern(2, 2, 3));
        // Rewrite IHDR to 100000 x 100000 and fix its CRC so only the size is wrong.
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(16), 100_000);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(20), 100_000);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(29), Crc(png.AsSpan(12, 17)));

        var act = () => PngDecoder.Decode(png);

        act.Should().Throw<ImageDecodeException>().WithMessage("Unsupported image size 100000x100000*");
    }

    [Fact]
    public void Bad_colour_type_and_depth_combination_is_rejected()
    {
        var png = PngEncoder.Encode(Fixtures.Pattern(2, 2, 3));
        png[24] = 4; // RGB with bit depth 4 is not allowed
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(29), Crc(png.AsSpan(12, 17)));

        var act = () => PngDecoder.Decode(png);

        act.Should().Throw<ImageDecodeException>().WithMessage("*colour type 2 with bit depth 4*");
    }

    /// <summary>Plain bitwise CRC-32 (the PNG polynomial), independent of the engine's table version.</summary>
    private static uint Crc(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }
}
