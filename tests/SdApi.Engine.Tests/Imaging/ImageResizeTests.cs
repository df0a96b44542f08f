using SdApi.Engine.Imaging;

namespace SdApi.Engine.Tests.Imaging;

public class ImageResizeTests
{
    [Fact]
    public void Bilinear_2x_of_two_pixels_interpolates_between_centres()
    {
        var image = new RgbImage(2, 1, 3, [0, 0, 0, 255, 255, 255]);

        var resized = ImageResize.Resize(image, 4, 1, ResizeFilter.Bilinear);

        resized.Width.Should().Be(4);
        resized.Pixels.Where((_, i) => i % 3 == 0).Should().Equal(0, 64, 191, 255);
    }

    [Theory]
    [InlineData(ResizeFilter.Bilinear)]
    [InlineData(ResizeFilter.Bicubic)]
    public void Constant_image_stays_constant(ResizeFilter filter)
    {
        var image = RgbImage.Filled(7, 5, 10, 200, 77);

        var resized = ImageResize.Resize(image, 16, 3, filter);

        resized.Pixels.Should().Equal(RgbImage.Filled(16, 3, 10, 200, 77).Pixels);
    }

    [Fact]
    public void Bicubic_reproduces_a_linear_ramp_away_from_the_edges()
    {
        var pixels = Enumerable.Range(0, 16).SelectMany(x => new[] { (byte)(x * 10), (byte)0, (byte)0 }).ToArray();
        var image = new RgbImage(16, 1, 3, pixels);

        var resized = ImageResize.Upscale(image, 2, ResizeFilter.Bicubic);

        for (var x = 4; x < 28; x++)
        {
            var expected = ((x + 0.5) / 2 - 0.5) * 10;
            ((double)resized.Pixels[x * 3]).Should().BeApproximately(expected, 0.51);
        }
    }

    [Fact]
    public void Alpha_is_resized_too()
    {
        var image = new RgbImage(1, 1, 4, [1, 2, 3, 4]);

        ImageResize.Resize(image, 2, 2).Pixels.Should().Equal(1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4);
    }
}
