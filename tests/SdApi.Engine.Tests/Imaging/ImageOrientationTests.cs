using SdApi.Engine.Imaging;

namespace SdApi.Engine.Tests.Imaging;

public class ImageOrientationTests
{
    // 3 wide, 2 high, pixel value = 10 * y + x in every channel.
    private static readonly RgbImage Source = new(3, 2, 3, [.. new[] { 0, 1, 2, 10, 11, 12 }.SelectMany(v => new[] { (byte)v, (byte)v, (byte)v })]);

    private static int[] Values(RgbImage image) => [.. image.Pixels.Where((_, i) => i % 3 == 0).Select(b => (int)b)];

    [Theory]
    [InlineData(1, 3, new[] { 0, 1, 2, 10, 11, 12 })]
    [InlineData(2, 3, new[] { 2, 1, 0, 12, 11, 10 })]
    [InlineData(3, 3, new[] { 12, 11, 10, 2, 1, 0 })]
    [InlineData(4, 3, new[] { 10, 11, 12, 0, 1, 2 })]
    [InlineData(5, 2, new[] { 0, 10, 1, 11, 2, 12 })]
    [InlineData(6, 2, new[] { 10, 0, 11, 1, 12, 2 })]
    [InlineData(7, 2, new[] { 12, 2, 11, 1, 10, 0 })]
    [InlineData(8, 2, new[] { 2, 12, 1, 11, 0, 10 })]
    public void Each_orientation_turns_the_image_upright(int orientation, int width, int[] expected)
    {
        var upright = ImageOrientation.Apply(Source, orientation);

        upright.Width.Should().Be(width);
        Values(upright).Should().Equal(expected);
    }

    [Fact]
    public void Jpeg_exif_orientation_is_applied_by_default()
    {
        var plain = Fixtures.Jpeg(Fixtures.Pattern(35, 21, 3));
        var rotated = WithExifOrientation(plain, 6);

        var image = ImageDecoder.Decode(rotated);

        image.Width.Should().Be(21);
        image.Height.Should().Be(35);
        image.Pixels.Should().Equal(ImageOrientation.Apply(ImageDecoder.Decode(plain), 6).Pixels);
    }

    /// <summary>Inserts an APP1 Exif segment (big-endian TIFF, IFD0 with one orientation entry) after SOI.</summary>
    private static byte[] WithExifOrientation(byte[] jpeg, int orientation)
    {
        byte[] tiff = [(byte)'M', (byte)'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte)orientation, 0, 0, 0, 0, 0, 0];
        byte[] payload = [.. "Exif\0\0"u8, .. tiff];
        var length = payload.Length + 2;
        return [0xFF, 0xD8, 0xFF, 0xE1, (byte)(length >> 8), (byte)length, .. payload, .. jpeg.AsSpan(2)];
    }
}
