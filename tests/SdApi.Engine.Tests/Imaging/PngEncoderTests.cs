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

        var decoded = PngDecoder.Decode(PngEncoder.Encode(image));

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
        PngDecoder.ReadText(png).Should().ContainKey("parameters").WhoseValue.Should().Be(text);
    }

    [Fact]
    public void Text_outside_latin1_is_written_as_utf8_iTXt()
    {
        var png = PngEncoder.Encode(Fixtures.Pattern(2, 2, 3), [new("parameters", "猫 on a bench ✓")]);

        System.Text.Encoding.ASCII.GetString(png).Should().Contain("iTXtparameters");
        PngDecoder.ReadText(png)["parameters"].Should().Be("猫 on a bench ✓");
    }

    [Fact]
    public void Corrupt_crc_is_reported()
    {
        var png = PngEncoder.Encode(Fixtures.Pattern(4, 4, 3));
        png[^20] ^= 0x55; // inside the IDAT data

        var act = () => PngDecoder.Decode(png);

        act.Should().Throw<ImageDecodeException>().WithMessage("*CRC*");
    }

    [Fact]
    public void Truncated_file_is_reported()
    {
        var png = PngEncoder.Encode(Fixtures.Pattern(4, 4, 3));

        var act = () => PngDecoder.Decode(png.AsMemory(0, png.Length - 15));

        act.Should().Throw<ImageDecodeException>().WithMessage("Truncated PNG*");
    }
}

public class PngTextTests
{
    [Fact]
    public void Compressed_and_malformed_text_chunks_do_not_throw()
    {
        var png = PngEncoder.Encode(Fixtures.Pattern(2, 2, 3));
        using var zipped = new MemoryStream();
        using (var z = new System.IO.Compression.ZLibStream(zipped, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
            z.Write("zipped text"u8);
        // Insert a zTXt ("Comment", method 0, zlib data) and an iTXt cut short, right after IHDR (8 + 25 bytes).
        var extra = Chunk("zTXt", [.. "Comment"u8, 0, 0, .. zipped.ToArray()]).Concat(Chunk("iTXt", [.. "Broken"u8, 0, 1])).ToArray();
        byte[] withText = [.. png.AsSpan(0, 33), .. extra, .. png.AsSpan(33)];

        var text = PngDecoder.ReadText(withText);

        text["Comment"].Should().Be("zipped text");
        text["Broken"].Should().BeEmpty();
        PngDecoder.Decode(withText).Pixels.Should().Equal(Fixtures.Pattern(2, 2, 3).Pixels);
    }

    private static byte[] Chunk(string type, byte[] data)
    {
        var typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
        var crc = 0xFFFFFFFFu;
        foreach (var b in typeBytes.Concat(data))
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        crc = ~crc;
        return [(byte)(data.Length >> 24), (byte)(data.Length >> 16), (byte)(data.Length >> 8), (byte)data.Length, .. typeBytes, .. data,
            (byte)(crc >> 24), (byte)(crc >> 16), (byte)(crc >> 8), (byte)crc];
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

        PngDecoder.Decode(flatPng).Pixels.Should().Equal(flat.Pixels);
        PngDecoder.Decode(photoPng).Pixels.Should().Equal(photo);
        flatPng.Length.Should().BeLessThan(8 * 1024, "a flat image filters to zeros");
        photoPng.Length.Should().BeLessThan(photo.Length * 2 / 3, "Up-filtered gradients with noise still compress");
    }
}
