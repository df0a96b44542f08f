using SdApi.Engine.Imaging;

namespace SdApi.Engine.Tests.Imaging;

public class PanoramaWindowsTests
{
    [Fact]
    public void Grid_covers_the_plane_and_pins_the_last_window_to_the_edge()
    {
        var grid = PanoramaWindows.Grid(width: 20, height: 8, window: 8, stride: 5);

        grid.Select(g => g.X).Should().Equal(0, 5, 10, 12);
        grid.Should().OnlyContain(g => g.Y == 0);
    }

    [Fact]
    public void Crop_takes_every_channel()
    {
        var planes = Enumerable.Range(0, 2 * 3 * 4).Select(i => (float)i).ToArray(); // C=2, H=3, W=4

        PanoramaWindows.Crop(planes, 2, 3, 4, x: 1, y: 1, w: 2, h: 2).Should().Equal(5, 6, 9, 10, 17, 18, 21, 22);
    }

    [Fact]
    public void Overlapping_windows_average_in_the_overlap()
    {
        var acc = new WindowAccumulator(channels: 1, height: 1, width: 5);

        acc.Add([1, 1, 1], x: 0, y: 0, w: 3, h: 1);
        acc.Add([3, 3, 3], x: 2, y: 0, w: 3, h: 1);

        acc.Result().Should().Equal(1, 1, 2, 3, 3);
    }

    [Fact]
    public void Windows_of_one_constant_give_that_constant_whatever_the_weights()
    {
        var acc = new WindowAccumulator(2, 8, 20);
        var weights = PanoramaWindows.FeatherWeights(8, 8, feather: 3);
        foreach (var (x, y) in PanoramaWindows.Grid(20, 8, 8, 5))
            acc.Add(Enumerable.Repeat(0.5f, 2 * 64).ToArray(), x, y, 8, 8, weights);

        acc.Result().Should().OnlyContain(v => Math.Abs(v - 0.5f) < 1e-6);
    }
}
