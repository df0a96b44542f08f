using System.Buffers.Binary;
using SdApi.Engine.Imaging;
using SdApi.Engine.Pipeline;

namespace SdApi.Engine.Tests.Imaging;

/// <summary>
/// init_image / mask_image bytes come from anyone: every damaged, oversized or foreign input fails with an
/// <see cref="ImageDecodeException"/> saying why (the engine turns it into an error naming the field), never with
/// another exception and never as a silently completed image.
/// </summary>
public class InputImageDecodingTests
{
    private static byte[] Png => PngEncoder.Encode(Fixtures.Pattern(64, 48, 3));
    private static byte[] Jpeg => Fixtures.Jpeg(Fixtures.Pattern(64, 48, 3));

    public static TheoryData<string, byte[], string> BadInputs()
    {
        var flipped = Png;
        flipped[^30] ^= 0x55; // inside IDAT: the chunk's CRC no longer matches
        var hugePng = Png;
        BinaryPrimitives.WriteUInt32BigEndian(hugePng.AsSpan(16), 100_000); // IHDR width and height, CRC fixed up
        BinaryPrimitives.WriteUInt32BigEndian(hugePng.AsSpan(20), 100_000);
        BinaryPrimitives.WriteUInt32BigEndian(hugePng.AsSpan(29), Crc(hugePng.AsSpan(12, 17)));
        var hugeJpeg = Jpeg;
        var sof = hugeJpeg.AsSpan().IndexOf(new byte[] { 0xFF, 0xC0 }); // baseline frame header: length(2) precision(1) height(2) width(2)
        BinaryPrimitives.WriteUInt16BigEndian(hugeJpeg.AsSpan(sof + 5), 60_000);
        BinaryPrimitives.WriteUInt16BigEndian(hugeJpeg.AsSpan(sof + 7), 60_000);
        var jpegGarbage = Jpeg[..20].Concat(Enumerable.Range(0, 200).Select(i => (byte)(i * 7))).ToArray();
        return new()
        {
            { "png cut to 100 bytes", Png[..100], "Truncated PNG*" },
            { "png cut inside its image data", Png[..^40], "Truncated PNG*" },
            { "png with a damaged IDAT byte", flipped, "Corrupt PNG*" },
            { "png header of 100000x100000", hugePng, "Unsupported image size 100000x100000*" },
            { "png signature only", Png[..8], "*PNG*" },
            { "jpeg cut in half", Jpeg[..(Jpeg.Length / 2)], "Truncated JPEG*" },
            { "jpeg header of 60000x60000", hugeJpeg, "Unsupported image size 60000x60000*" },
            { "jpeg with garbage after its headers", jpegGarbage, "*JPEG*" },
            { "gif", "GIF89a\x01\0\x01\0\0\0\0;"u8.ToArray(), "Unsupported image format GIF*" },
            { "webp", "RIFF\x1a\0\0\0WEBPVP8 \x0e\0\0\0"u8.ToArray(), "Unsupported image format WEBP*" },
            { "text", "<html>not an image</html>"u8.ToArray(), "Unrecognised image data*" },
            { "empty", [], "Unrecognised image data*" },
        };
    }

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Bad_input_is_a_decode_error_saying_why(string name, byte[] data, string message)
    {
        var act = () => ImageDecoder.Decode(data);

        act.Should().Throw<ImageDecodeException>(name).WithMessage(message);
    }

    [Fact]
    public void Decodes_png_exactly_and_jpeg_closely()
    {
        var pattern = Fixtures.Pattern(64, 48, 3);
        ImageDecoder.Decode(Png).Pixels.Should().Equal(pattern.Pixels);
        (ImageDecoder.Decode(Jpeg).Width, ImageDecoder.Decode(Jpeg).Height).Should().Be((64, 48));
        var smooth = new RgbImage(64, 48, 3, [.. Enumerable.Range(0, 64 * 48).SelectMany(i => new[] { (byte)(i % 64 * 4), (byte)(i / 64 * 5), (byte)200 })]);
        var jpeg = ImageDecoder.Decode(Fixtures.Jpeg(smooth));
        jpeg.Channels.Should().Be(3);
        jpeg.Pixels.Zip(smooth.Pixels, (a, b) => Math.Abs(a - b)).Max().Should().BeLessThan(8, "a quality-95 JPEG of a smooth gradient, channels in RGB order");
    }

    [Fact]
    public void Png_with_alpha_keeps_it()
    {
        var rgba = Fixtures.Pattern(5, 4, 4);
        var decoded = ImageDecoder.Decode(PngEncoder.Encode(rgba));
        decoded.Channels.Should().Be(4);
        decoded.Pixels.Should().Equal(rgba.Pixels);
    }

    [Fact]
    public void Damaged_files_fail_cleanly_or_decode()
    {
        var random = new Random(777);
        foreach (var original in new[] { Png, Jpeg })
            for (var trial = 0; trial < 150; trial++)
            {
                var data = (byte[])original.Clone();
                for (var f = 1 + random.Next(4); f > 0; f--)
                    data[random.Next(2, Math.Min(data.Length, trial % 2 == 0 ? 200 : data.Length))] = (byte)random.Next(256);
                var length = trial % 3 == 0 ? random.Next(1, data.Length) : data.Length;
                try
                {
                    var image = ImageDecoder.Decode(data.AsMemory(0, length));
                    image.Pixels.Length.Should().Be(image.Width * image.Height * image.Channels);
                }
                catch (ImageDecodeException)
                {
                }
            }
    }

    [Theory]
    [InlineData(GenerationMode.Img2Img, "init_image")]
    [InlineData(GenerationMode.Inpaint, "mask_image")]
    public async Task The_engine_names_the_field_whose_image_is_bad(GenerationMode mode, string field)
    {
        using var engine = new DiffusionEngine(new EngineOptions { ModelStoreDirectory = Path.Combine(Path.GetTempPath(), $"sdapi-decode-{Guid.NewGuid():N}"), IntraOpThreads = 1 });
        var request = new GenerationRequest
        {
            Mode = mode, Prompt = "red circle", Steps = 2, Seed = 1,
            InitImage = field == "init_image" ? Png[..100] : Png,
            MaskImage = mode == GenerationMode.Inpaint ? Png[..100] : null,
        };

        var act = () => engine.GenerateAsync(request);

        (await act.Should().ThrowAsync<EngineRequestException>()).Which.Field.Should().Be(field);
    }

    /// <summary>Plain bitwise CRC-32 (the PNG polynomial), independent of the encoder's.</summary>
    private static uint Crc(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }
}
