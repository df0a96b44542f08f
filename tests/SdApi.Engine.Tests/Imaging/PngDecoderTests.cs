using SdApi.Engine.Imaging;

namespace SdApi.Engine.Tests.Imaging;

/// <summary>PNGs written byte by byte by make_fixtures.py (Python's zlib, not the engine's encoder); the expected
/// pixels follow the same formulas as that script.</summary>
public class PngDecoderTests
{
    [Fact]
    public void Grey_1_bit()
    {
        var image = PngDecoder.Decode(Fixtures.Read("gray1.png"));

        image.Channels.Should().Be(3);
        for (var y = 0; y < 5; y++)
            for (var x = 0; x < 7; x++)
            {
                var v = (byte)((x + y) % 2 * 255);
                image.GetRgb(x, y).Should().Be((v, v, v));
            }
    }

    [Fact]
    public void Palette_2_bit_with_transparency()
    {
        (byte, byte, byte, byte)[] palette = [(255, 0, 0, 255), (0, 255, 0, 128), (0, 0, 255, 0), (255, 255, 255, 255)];

        var image = PngDecoder.Decode(Fixtures.Read("palette2_trns.png"));

        image.Channels.Should().Be(4);
        for (var y = 0; y < 5; y++)
            for (var x = 0; x < 7; x++)
            {
                var i = image.IndexOf(x, y);
                (image.Pixels[i], image.Pixels[i + 1], image.Pixels[i + 2], image.Pixels[i + 3]).Should().Be(palette[(x + 2 * y) % 4]);
            }
    }

    [Fact]
    public void Grey_alpha_8_bit()
    {
        var image = PngDecoder.Decode(Fixtures.Read("gray_alpha8.png"));

        for (var y = 0; y < 5; y++)
            for (var x = 0; x < 7; x++)
            {
                var i = image.IndexOf(x, y);
                image.Pixels.AsSpan(i, 4).ToArray().Should().Equal((byte)(30 * x + y), (byte)(30 * x + y), (byte)(30 * x + y), (byte)(255 - 40 * y));
            }
    }

    [Fact]
    public void Rgb_16_bit_keeps_the_high_byte()
    {
        var image = PngDecoder.Decode(Fixtures.Read("rgb16.png"));

        image.Channels.Should().Be(3);
        for (var y = 0; y < 5; y++)
            for (var x = 0; x < 7; x++)
            {
                var r = 9000 * x + y;
                image.GetRgb(x, y).Should().Be(((byte)(r >> 8), (byte)((65535 - r) >> 8), (byte)(257 * y >> 8)));
            }
    }

    [Fact]
    public void Rgba_adam7_interlaced()
    {
        var image = PngDecoder.Decode(Fixtures.Read("rgba8_adam7.png"));

        image.Width.Should().Be(10);
        image.Height.Should().Be(9);
        for (var y = 0; y < 9; y++)
            for (var x = 0; x < 10; x++)
                image.Pixels.AsSpan(image.IndexOf(x, y), 4).ToArray()
                    .Should().Equal((byte)(20 * x), (byte)(25 * y), (byte)(3 * x + 7 * y), (byte)(255 - 10 * x));
    }

    [Fact]
    public void Grey_with_transparent_value()
    {
        var image = PngDecoder.Decode(Fixtures.Read("gray8_trns.png"));

        image.Channels.Should().Be(4);
        for (var y = 0; y < 5; y++)
            for (var x = 0; x < 7; x++)
            {
                var v = (byte)(20 * x + 10 * y);
                image.Pixels.AsSpan(image.IndexOf(x, y), 4).ToArray().Should().Equal(v, v, v, v == 60 ? (byte)0 : (byte)255);
            }
    }

    [Fact]
    public void Rgb_with_transparent_colour()
    {
        var image = PngDecoder.Decode(Fixtures.Read("rgb8_trns.png"));

        image.Channels.Should().Be(4);
        for (var y = 0; y < 5; y++)
            for (var x = 0; x < 7; x++)
                image.Pixels.AsSpan(image.IndexOf(x, y), 4).ToArray()
                    .Should().Equal((byte)(40 * x), (byte)(10 * y), (byte)200, x == 1 && y == 0 ? (byte)0 : (byte)255);
    }
}
