using SdApi.Engine.Pipeline;

namespace SdApi.Engine.Tests.Pipeline;

public class PixelConversionTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(37)]
    [InlineData(4096)]
    public void Vector_path_matches_the_scalar_definition_for_every_pixel(int count)
    {
        // values around every rounding midpoint, out-of-range values and random ones
        var random = new Random(count);
        float Value(int i) => (i % 4) switch
        {
            0 => (i % 256 + 0.5f) / 255f * 2f - 1f,
            1 => (float)(random.NextDouble() * 3 - 1.5),
            2 => i % 8 < 4 ? -1f : 1f,
            _ => (float)(random.NextDouble() * 2 - 1),
        };
        var planes = Enumerable.Range(0, 3).Select(c => Enumerable.Range(0, count).Select(i => Value(i + c * 7)).ToArray()).ToArray();
        var rgb = new byte[count * 3];

        PixelConversion.PlanesToRgb(planes[0], planes[1], planes[2], rgb);

        var expected = new byte[count * 3];
        for (var i = 0; i < count; i++)
            for (var c = 0; c < 3; c++)
                expected[i * 3 + c] = VaeCodec.ToByte(planes[c][i]);
        rgb.Should().Equal(expected);
    }
}
