using SdApi.Engine.Imaging;

namespace SdApi.Engine.Tests.Imaging;

public class PngEncoderTests
{
    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void Round_trip_is_exact(int channels)
    {
        var image = Fixtures.Pattern(13, 9, channels);

        var decoded = ImageDecoder.Decode(PngEncoder.Encode(image));

        decoded.Width.Should().Be(13);
        decoded.Height.Should().Be(9);
        decoded.Channels.Should().Be(channels);
        decoded.Pixels.Should().Equal(image.Pixels);
    }

    [Fact]
    public void Encoding_is_deterministic()
    {
        var image = Fixtures.Pattern(16, 16, 3);

        PngEncoder.EncodeWithParameters(image, "a cat")
            .Should().Equal(PngEncoder.EncodeWithParameters(image.Clone(), "a cat"));
    }

    [Fact]
    public void Parameters_chunk_is_written_as_tEXt_and_reads_back()
    {
        var text = A1111Parameters.Format("a red cube", "blurry",
            [new("Steps", "30"), new("Sampler", "UniPCMultistepScheduler"), new("CFG scale", "7.5"), new("Seed", "1"), new("Size", "512x512"), new("Model", "sd-1.5")]);

        var png = PngEncoder.EncodeWithParameters(Fixtures.Pattern(4, 4, 3), text);

        System.Text.Encoding.ASCII.GetString(png).Should().Contain("tEXtparameters\0a red cube\nNegative prompt: blurry\nSteps: 30, Sampler: UniPCMultistepScheduler, CFG scale: 7.5, Seed: 1, Size: 512x512, Model: sd-1.5");
        PngText.Read(png).Should().ContainKey("parameters").WhoseValue.Should().Be(text);
    }

    [Fact]
    public void Text_outside_latin1_is_written_as_utf8_iTXt()
    {
        var png = PngEncoder.Encode(Fixtures.Pattern(2, 2, 3), [new("parameters", "猫 on a bench ✓")]);

        System.Text.Encoding.ASCII.GetString(png).Should().Contain("iTXtparameters");
        PngText.Read(png)["parameters"].Should().Be("猫 on a bench ✓");
    }
}

public class PngEncoderSizeTests
{
    [Fact]
    public void Flat_and_photo_like_512_images_round_trip_and_compress()
    {
        var flat = RgbImage.Filled(512, 512, 90, 140, 60);
        var random = new Random(9);
        var photo = new byte[512 * 512 * 3];
        for (var y = 0; y < 512; y++)
            for (var x = 0; x < 512; x++)
                for (var c = 0; c < 3; c++)
                    photo[(y * 512 + x) * 3 + c] = (byte)Math.Clamp((x + y * (c + 1)) / 4 + random.Next(-12, 13), 0, 255);

        var flatPng = PngEncoder.Encode(flat);
        var photoPng = PngEncoder.Encode(new RgbImage(512, 512, 3, photo));

        ImageDecoder.Decode(flatPng).Pixels.Should().Equal(flat.Pixels);
        ImageDecoder.Decode(photoPng).Pixels.Should().Equal(photo);
        flatPng.Length.Should().BeLessThan(8 * 1024, "a flat image filters to zeros");
        photoPng.Length.Should().BeLessThan(photo.Length * 2 / 3, "Up-filtered gradients with noise still compress");
    }
}
