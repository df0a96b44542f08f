using SdApi.Engine.Imaging;
using SdApi.Engine.Safety;

namespace SdApi.Engine.Tests.Safety;

public class SafetyActionsTests
{
    private static RgbImage Checkerboard(int size, int cell)
    {
        var image = RgbImage.Filled(size, size, 0, 0, 0);
        for (var y = 0; y < size; y++)
            for (var x = 0; x < size; x++)
                if ((x / cell + y / cell) % 2 == 0)
                    image.SetRgb(x, y, 255, 255, 255);
        return image;
    }

    private static double Variance(RgbImage image)
    {
        var values = image.Pixels.Select(p => (double)p).ToArray();
        var mean = values.Average();
        return values.Average(v => (v - mean) * (v - mean));
    }

    [Fact]
    public void Black_is_all_zero_at_the_same_size()
    {
        var result = SafetyActions.Apply(Checkerboard(32, 4), SafetyCheckerType.Black);

        result.Width.Should().Be(32);
        result.Pixels.Should().OnlyContain(p => p == 0);
    }

    [Fact]
    public void Blur_removes_fine_detail_but_keeps_the_mean()
    {
        var source = Checkerboard(64, 2);

        var result = SafetyActions.Apply(source, SafetyCheckerType.Blur);

        Variance(result).Should().BeLessThan(Variance(source) / 100);
        result.Pixels.Average(p => p).Should().BeApproximately(source.Pixels.Average(p => p), 3);
    }

    [Fact]
    public void Pixelate_makes_uniform_blocks_of_the_mean_colour()
    {
        var source = Checkerboard(64, 1); // block = 64 / 16 = 4: each block has 8 white, 8 black pixels

        var result = SafetyActions.Apply(source, SafetyCheckerType.Pixelate);

        result.Pixels.Should().OnlyContain(p => p == 128);
    }

    [Fact]
    public void Sensitive_content_text_is_white_text_on_black()
    {
        var result = SafetyActions.Apply(Checkerboard(128, 8), SafetyCheckerType.SensitiveContentText);

        result.Pixels.Should().OnlyContain(p => p == 0 || p == 255);
        var white = result.Pixels.Count(p => p == 255);
        white.Should().BeInRange(1, result.Pixels.Length / 4);
        // The text sits in a band around the middle row.
        Enumerable.Range(0, 128).Where(y => Enumerable.Range(0, 128).Any(x => result.GetRgb(x, y).R == 255))
            .Should().OnlyContain(y => y > 40 && y < 88);
    }

    [Fact]
    public void Font_draws_glyph_pixels_at_scale()
    {
        var image = RgbImage.Filled(12, 14, 0, 0, 0);

        BitmapFont.Draw(image, "T", 1, 0, 2, (255, 0, 0));

        // T: full top row, then the centre column.
        image.GetRgb(1, 0).R.Should().Be(255);
        image.GetRgb(10, 1).R.Should().Be(255);
        image.GetRgb(5, 13).R.Should().Be(255);
        image.GetRgb(1, 13).R.Should().Be(0);
        image.GetRgb(0, 0).R.Should().Be(0);
    }

    [Fact]
    public void Lower_case_draws_as_capitals()
    {
        var lower = RgbImage.Filled(40, 8, 0, 0, 0);
        var upper = RgbImage.Filled(40, 8, 0, 0, 0);

        BitmapFont.Draw(lower, "sens", 0, 0, 1, (255, 255, 255));
        BitmapFont.Draw(upper, "SENS", 0, 0, 1, (255, 255, 255));

        lower.Pixels.Should().Equal(upper.Pixels);
    }
}
