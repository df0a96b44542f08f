using SdApi.Engine.Imaging;

namespace SdApi.Engine.Tests.Imaging;

public class ImageDecoderTests
{
    [Fact]
    public void Sniffs_formats_from_content()
    {
        ImageDecoder.Sniff(PngEncoder.Encode(Fixtures.Pattern(2, 2, 3))).Should().Be(ImageFormat.Png);
        ImageDecoder.Sniff(Fixtures.Jpeg(Fixtures.Pattern(4, 4, 3))).Should().Be(ImageFormat.Jpeg);
        ImageDecoder.Sniff("GIF89a...."u8).Should().Be(ImageFormat.Gif);
        ImageDecoder.Sniff("RIFF\0\0\0\0WEBPVP8 "u8).Should().Be(ImageFormat.WebP);
        ImageDecoder.Sniff("hello"u8).Should().Be(ImageFormat.Unknown);
    }

    [Theory]
    [InlineData("")]
    [InlineData("data:image/png;base64,")]
    [InlineData("DATA:image/jpeg;BASE64,")]
    public void Decodes_base64_with_or_without_data_url_prefix(string prefix)
    {
        var image = Fixtures.Pattern(5, 3, 3);
        var base64 = Convert.ToBase64String(PngEncoder.Encode(image));
        // Line breaks as some clients wrap base64.
        var wrapped = string.Join("\n", base64.Chunk(40).Select(c => new string(c)));

        ImageDecoder.DecodeBase64(prefix + wrapped).Pixels.Should().Equal(image.Pixels);
    }

    [Fact]
    public void Invalid_base64_is_a_decode_error()
    {
        var act = () => ImageDecoder.DecodeBase64("data:image/png;base64,***");

        act.Should().Throw<ImageDecodeException>().WithMessage("*base64*");
    }

    [Fact]
    public void Unsupported_formats_are_named()
    {
        var act = () => ImageDecoder.Decode("GIF89a\x01\0\x01\0"u8.ToArray());

        act.Should().Throw<ImageDecodeException>().WithMessage("Unsupported image format GIF*");
    }

    [Fact]
    public void Unknown_bytes_are_rejected()
    {
        var act = () => ImageDecoder.Decode(new byte[] { 1, 2, 3, 4 });

        act.Should().Throw<ImageDecodeException>().WithMessage("*expected a PNG or JPEG*");
    }
}
