using SdApi.Engine.Imaging;

namespace SdApi.Engine.Tests.Imaging;

public class ImageTensorTests
{
    [Fact]
    public void Every_byte_value_survives_the_float_round_trip()
    {
        var pixels = Enumerable.Range(0, 256 * 3).Select(i => (byte)(i / 3)).ToArray();
        var image = new RgbImage(256, 1, 3, pixels);

        ImageTensor.FromNchw(ImageTensor.ToNchw(image), 256, 1).Pixels.Should().Equal(pixels);
    }

    [Fact]
    public void Layout_is_planar_and_scaled_to_minus_one_one()
    {
        var image = new RgbImage(2, 1, 4, [0, 255, 51, 9, 255, 0, 102, 9]);

        var tensor = ImageTensor.ToNchw(image);

        tensor.Should().Equal([-1f, 1f, 1f, -1f, 51 / 127.5f - 1, 102 / 127.5f - 1], (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Fact]
    public void Out_of_range_and_nan_values_are_clamped()
    {
        float[] tensor = [-3f, float.NaN, 2f, 0f, 0f, 0f]; // R plane, G plane, B plane of a 2x1 image

        var image = ImageTensor.FromNchw(tensor, 2, 1);

        image.Pixels.Should().Equal(0, 255, 128, 0, 128, 128);
    }

    [Fact]
    public void Reads_the_requested_batch_item()
    {
        var tensor = new float[2 * 3];
        tensor[3] = 1f; // image 1, red

        ImageTensor.FromNchw(tensor, 1, 1, batchIndex: 1).Pixels.Should().Equal(255, 128, 128);
    }

    [Fact]
    public void Mask_is_luma_in_zero_one()
    {
        var image = new RgbImage(2, 1, 3, [255, 255, 255, 0, 0, 0]);

        ImageTensor.ToMask(image).Should().Equal(1f, 0f);
    }
}
