using SdApi.Engine.Imaging;

namespace SdApi.Engine.Tests.Imaging;

/// <summary>JPEGs from libjpeg-turbo's cjpeg; expected pixels from its djpeg (-nosmooth, integer IDCT).
/// The engine uses a float IDCT, so samples may differ by a couple of levels.</summary>
public class JpegDecoderTests
{
    [Theory]
    [InlineData("baseline444")]
    [InlineData("baseline422")]
    [InlineData("baseline420_restart")]
    [InlineData("progressive420")]
    [InlineData("grayscale")]
    public void Decodes_like_libjpeg(string name)
    {
        var expected = Fixtures.ReadPnm($"{name}.expected.pnm");

        var image = ImageDecoder.Decode(Fixtures.Read($"{name}.jpg"));

        image.Width.Should().Be(35);
        image.Height.Should().Be(21);
        var maxDiff = image.Pixels.Zip(expected.Pixels, (a, b) => Math.Abs(a - b)).Max();
        maxDiff.Should().BeLessThanOrEqualTo(3);
    }

    [Fact]
    public void Decoded_colours_are_close_to_the_encoded_pattern()
    {
        // The source pattern of make_fixtures.py; quality 95 4:4:4 stays within a few levels of it.
        var image = JpegDecoder.Decode(Fixtures.Read("baseline444.jpg"));

        var total = 0L;
        for (var y = 0; y < 21; y++)
            for (var x = 0; x < 35; x++)
            {
                var (r, g, b) = image.GetRgb(x, y);
                total += Math.Abs(r - Math.Min(255, 40 + 5 * x)) + Math.Abs(g - Math.Min(255, 30 + 8 * y)) + Math.Abs(b - Math.Max(0, 200 - 3 * x - 2 * y));
            }
        (total / (35.0 * 21 * 3)).Should().BeLessThan(3);
    }

    [Fact]
    public void Arithmetic_coding_is_reported_as_unsupported()
    {
        var jpeg = Fixtures.Read("baseline444.jpg");
        var sof = FindMarker(jpeg, 0xC0);
        jpeg[sof + 1] = 0xC9;

        var act = () => JpegDecoder.Decode(jpeg);

        act.Should().Throw<ImageDecodeException>().WithMessage("Unsupported JPEG: arithmetic coding*");
    }

    [Fact]
    public void Truncated_file_is_reported()
    {
        var jpeg = Fixtures.Read("baseline444.jpg");

        var act = () => JpegDecoder.Decode(jpeg.AsMemory(0, 100));

        act.Should().Throw<ImageDecodeException>();
    }

    private static int FindMarker(byte[] data, byte marker)
    {
        for (var i = 0; i < data.Length - 1; i++)
            if (data[i] == 0xFF && data[i + 1] == marker)
                return i;
        throw new InvalidOperationException("marker not found");
    }
}

public class JpegTruncationTests
{
    [Fact]
    public void A_header_promising_far_more_blocks_than_the_data_holds_is_an_error()
    {
        var jpeg = Fixtures.Read("baseline444.jpg");
        var sof = Enumerable.Range(0, jpeg.Length - 1).First(i => jpeg[i] == 0xFF && jpeg[i + 1] == 0xC0);
        jpeg[sof + 5] = 0x40; // SOF0: marker, length, precision, then height: 21 -> 0x4015 = 16405 rows

        var act = () => JpegDecoder.Decode(jpeg);

        act.Should().Throw<ImageDecodeException>().WithMessage("Truncated or corrupt JPEG*");
    }
}
