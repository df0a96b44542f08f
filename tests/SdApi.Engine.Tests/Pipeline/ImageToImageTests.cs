using SdApi.Engine.Imaging;
using SdApi.Engine.Models.BuiltIn;
using SdApi.Engine.Pipeline;

namespace SdApi.Engine.Tests.Pipeline;

[Collection(EngineCollection.Name)]
public sealed class ImageToImageTests(EngineFixture fixture)
{
    private DiffusionEngine Engine => fixture.Engine;

    /// <summary>An image of 8x8 blocks of one colour each, which the oracle VAE round-trips exactly.</summary>
    private static RgbImage Blocks(int width, int height)
    {
        var image = RgbImage.Filled(width, height, 0, 0, 0);
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                var block = (y / 8) * 31 + (x / 8) * 17;
                image.SetRgb(x, y, (byte)(block * 37 % 256), (byte)(block * 91 % 256), (byte)(block * 13 % 256));
            }
        return image;
    }

    private static GenerationRequest Img2Img(byte[] init, double strength) => EngineFixture.Small("green square") with
    {
        Mode = GenerationMode.Img2Img,
        InitImage = init,
        Strength = strength,
    };

    [Fact]
    public async Task Strength_zero_returns_the_input_up_to_the_vae_round_trip()
    {
        var init = Blocks(64, 48);
        var result = await Engine.GenerateAsync(Img2Img(PngEncoder.Encode(init), 0));
        result.Images[0].Width.Should().Be(64);
        result.Images[0].Height.Should().Be(48);
        var diff = result.Images[0].Rgb.Zip(init.Pixels, (a, b) => Math.Abs(a - b)).Max();
        diff.Should().BeLessThanOrEqualTo(1);
    }

    [Fact]
    public async Task Strength_one_lands_on_the_prompt_image()
    {
        var init = Blocks(64, 64);
        var result = await Engine.GenerateAsync(Img2Img(PngEncoder.Encode(init), 1) with { Steps = 20 });
        var expected = OracleReference.ExpectedRgb(fixture.Tokenizer, "green square", null, 7.5, 64, 64, seed: 42);
        OracleReference.Psnr(result.Images[0].Rgb, expected).Should().BeGreaterThan(30);
    }

    [Fact]
    public async Task Inpaint_keeps_unmasked_pixels_exactly_and_repaints_the_masked_ones()
    {
        var init = Blocks(64, 64);
        var mask = RgbImage.Filled(64, 64, 0, 0, 0);
        for (var y = 10; y < 40; y++)
            for (var x = 5; x < 37; x++) mask.SetRgb(x, y, 255, 255, 255);
        var result = await Engine.GenerateAsync(Img2Img(PngEncoder.Encode(init), 0.9) with
        {
            Mode = GenerationMode.Inpaint,
            MaskImage = PngEncoder.Encode(mask),
        });
        var output = result.Images[0].Rgb;
        var changed = 0;
        for (var i = 0; i < 64 * 64; i++)
        {
            var masked = mask.Pixels[i * 3] == 255;
            for (var c = 0; c < 3; c++)
            {
                if (!masked) output[i * 3 + c].Should().Be(init.Pixels[i * 3 + c]);
                else if (output[i * 3 + c] != init.Pixels[i * 3 + c]) changed++;
            }
        }
        changed.Should().BeGreaterThan(30 * 32 * 3 / 2);
    }

    [Fact]
    public async Task Missing_or_broken_images_are_request_errors()
    {
        var missing = () => Engine.GenerateAsync(EngineFixture.Small() with { Mode = GenerationMode.Img2Img });
        (await missing.Should().ThrowAsync<EngineRequestException>()).Which.Field.Should().Be("init_image");
        var broken = () => Engine.GenerateAsync(Img2Img([1, 2, 3], 0.5));
        (await broken.Should().ThrowAsync<EngineRequestException>()).Which.Field.Should().Be("init_image");
        var noMask = () => Engine.GenerateAsync(Img2Img(PngEncoder.Encode(Blocks(16, 16)), 0.5) with { Mode = GenerationMode.Inpaint });
        (await noMask.Should().ThrowAsync<EngineRequestException>()).Which.Field.Should().Be("mask_image");
    }
}
