using SdApi.Engine.Imaging;

namespace SdApi.Engine.Tests.Imaging;

public class ImageOpsTests
{
    [Fact]
    public void Crop_then_paste_restores_the_region()
    {
        var image = Fixtures.Pattern(10, 8, 3);
        var crop = ImageOps.Crop(image, 3, 2, 4, 5);
        var canvas = RgbImage.Filled(10, 8, 0, 0, 0);

        ImageOps.Paste(canvas, crop, 3, 2);

        for (var y = 0; y < 8; y++)
            for (var x = 0; x < 10; x++)
                canvas.GetRgb(x, y).Should().Be(x is >= 3 and < 7 && y is >= 2 and < 7 ? image.GetRgb(x, y) : ((byte)0, (byte)0, (byte)0));
    }

    [Fact]
    public void Paste_clips_at_the_edges()
    {
        var canvas = RgbImage.Filled(4, 4, 0, 0, 0);

        ImageOps.Paste(canvas, RgbImage.Filled(3, 3, 9, 9, 9), -1, 2);

        canvas.GetRgb(0, 3).Should().Be(((byte)9, (byte)9, (byte)9));
        canvas.GetRgb(2, 3).Should().Be(((byte)0, (byte)0, (byte)0));
        canvas.GetRgb(0, 1).Should().Be(((byte)0, (byte)0, (byte)0));
    }

    [Fact]
    public void Crop_outside_the_image_is_rejected()
    {
        var act = () => ImageOps.Crop(RgbImage.Filled(4, 4, 0, 0, 0), 2, 2, 3, 1);

        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Blend_is_linear()
    {
        var a = RgbImage.Filled(2, 2, 0, 100, 200);
        var b = RgbImage.Filled(2, 2, 200, 100, 0);

        ImageOps.Blend(a, b, 0).Pixels.Should().Equal(a.Pixels);
        ImageOps.Blend(a, b, 1).Pixels.Should().Equal(b.Pixels);
        ImageOps.Blend(a, b, 0.25f).GetRgb(1, 1).Should().Be(((byte)50, (byte)100, (byte)150));
    }
}
