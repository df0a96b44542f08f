using System.Buffers.Binary;
using SdApi.Engine.Imaging;
using SdApi.Server.Tests.Infrastructure;

namespace SdApi.Server.Tests;

/// <summary>
/// Undecodable init_image / mask_image bytes through the whole server: the answer is the API's JSON naming the field
/// and saying why, never a 500 and never a generated image.
/// </summary>
public sealed class InputImageDecodingTests
{
    private static byte[] Png(int width = 64, int height = 48)
    {
        var rgb = new byte[width * height * 3];
        for (var i = 0; i < rgb.Length; i++) rgb[i] = (byte)(i * 7);
        return PngEncoder.Encode(new RgbImage(width, height, 3, rgb));
    }

    private static byte[] HugeHeaderPng()
    {
        var png = Png();
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(16), 100_000);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(20), 100_000);
        var crc = 0xFFFFFFFFu; // IHDR's CRC fixed up, so only the size is wrong
        foreach (var b in png.AsSpan(12, 17))
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(29), ~crc);
        return png;
    }

    private static byte[] CorruptPng()
    {
        var png = Png();
        png[^30] ^= 0x55;
        return png;
    }

    public static TheoryData<string, byte[], string> Inputs() => new()
    {
        { "truncated png", Png()[..100], "Truncated PNG" },
        { "corrupt png", CorruptPng(), "Corrupt PNG" },
        { "huge png header", HugeHeaderPng(), "100000x100000" },
        { "gif", "GIF89a\x01\0\x01\0\0\0\0;"u8.ToArray(), "GIF" },
        { "text", "just some text, not an image"u8.ToArray(), "Unrecognised image data" },
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public async Task Bad_init_image_is_an_error_naming_init_image(string name, byte[] image, string why)
    {
        await using var host = await ServerHost.StartAsync();
        var answer = await host.PostAsync("/api/v6/images/img2img",
            Bodies.Text2Img().With("base64", "yes").With("init_image", Convert.ToBase64String(image)).With("strength", 0.5));

        answer.StatusCode.Should().BeLessThan(500, name);
        answer.Status.Should().BeOneOf(["error", "failed"], answer.Text);
        answer.Message.Should().Contain("init_image").And.Contain(why, answer.Text);
    }

    [Fact]
    public async Task Bad_mask_image_is_an_error_naming_mask_image()
    {
        await using var host = await ServerHost.StartAsync();
        var answer = await host.PostAsync("/api/v6/images/inpaint",
            Bodies.Text2Img().With("base64", "yes").With("init_image", Convert.ToBase64String(Png()))
                .With("mask_image", Convert.ToBase64String(Png()[..^40])));

        answer.StatusCode.Should().BeLessThan(500);
        answer.Status.Should().BeOneOf(["error", "failed"], answer.Text);
        answer.Message.Should().Contain("mask_image").And.Contain("Truncated PNG", answer.Text);
    }
}
