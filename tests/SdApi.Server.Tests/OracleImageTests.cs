using System.Text.Json.Nodes;
using SdApi.Engine.Imaging;
using SdApi.Server.Tests.Infrastructure;

namespace SdApi.Server.Tests;

/// <summary>
/// The reference server's img2img and inpaint answers behave like a diffusion model's (issue 15): low strength stays
/// close to the init image without noise, high strength is mostly the prompt, inpaint changes only the masked region.
/// The engine's own tests measure the same at more strengths and schedulers.
/// </summary>
public sealed class OracleImageTests
{
    private const int Size = 256;

    [Fact]
    public async Task Img2img_stays_close_to_the_init_image_at_low_strength_and_follows_the_prompt_at_high_strength()
    {
        await using var host = await ServerHost.StartAsync();
        var init = InitImage();
        var low = await GenerateAsync(host, "/api/v6/images/img2img", Body(init).With("strength", 0.1));
        var high = await GenerateAsync(host, "/api/v6/images/img2img", Body(init).With("strength", 0.9));

        var lowDistance = MeanAbsoluteDifference(low, init.Pixels);
        lowDistance.Should().BeGreaterThan(0).And.BeLessThanOrEqualTo(12);
        HighFrequencyEnergy(low).Should().BeLessThanOrEqualTo(HighFrequencyEnergy(init.Pixels), "no residual noise");
        MeanAbsoluteDifference(high, init.Pixels).Should().BeGreaterThan(5 * lowDistance, "strength 0.9 is mostly the prompt");
    }

    [Fact]
    public async Task Inpaint_changes_only_the_masked_region()
    {
        await using var host = await ServerHost.StartAsync();
        var init = InitImage();
        var mask = RgbImage.Filled(Size, Size, 0, 0, 0);
        for (var y = 64; y < 192; y++)
            for (var x = 32; x < 160; x++) mask.SetRgb(x, y, 255, 255, 255);
        var body = Body(init).With("strength", 0.9).With("mask_image", Convert.ToBase64String(PngEncoder.Encode(mask)));
        var rgb = await GenerateAsync(host, "/api/v6/images/inpaint", body);

        long changedInside = 0;
        for (var i = 0; i < Size * Size * 3; i++)
        {
            if (mask.Pixels[i - i % 3] == 0) rgb[i].Should().Be(init.Pixels[i], "unmasked pixels are kept");
            else if (rgb[i] != init.Pixels[i]) changedInside++;
        }
        changedInside.Should().BeGreaterThan(128 * 128 * 3 / 2);
    }

    private static JsonObject Body(RgbImage init) => Bodies.Text2Img()
        .With("prompt", "a red circle on a blue background")
        .With("num_inference_steps", "20")
        .With("seed", 1)
        .With("base64", "yes")
        .With("init_image", Convert.ToBase64String(PngEncoder.Encode(init)));

    private static async Task<byte[]> GenerateAsync(ServerHost host, string path, JsonObject body)
    {
        var answer = await host.PostAsync(path, body);
        answer.Status.Should().Be("success", answer.Text);
        var png = Convert.FromBase64String(await host.Http.GetStringAsync(answer.Body.GetProperty("output")[0].GetString()));
        var image = ImageDecoder.Decode(png);
        (image.Width, image.Height).Should().Be((Size, Size));
        return image.Pixels;
    }

    /// <summary>A sky-and-hills picture in 8x8 blocks (the built-in VAE returns such an image exactly).</summary>
    private static RgbImage InitImage()
    {
        var image = RgbImage.Filled(Size, Size, 0, 0, 0);
        for (var y = 0; y < Size; y++)
            for (var x = 0; x < Size; x++)
            {
                int bx = x / 8, by = y / 8;
                var sky = by < 20 + 3 * Math.Sin(bx * 0.4);
                image.SetRgb(x, y, sky ? (byte)(90 + 3 * by) : (byte)60, sky ? (byte)(150 + 2 * by) : (byte)(150 - 2 * by), sky ? (byte)230 : (byte)50);
            }
        return image;
    }

    private static double MeanAbsoluteDifference(byte[] a, byte[] b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Average();

    /// <summary>Mean squared difference of horizontally and vertically adjacent pixel values.</summary>
    private static double HighFrequencyEnergy(byte[] rgb)
    {
        double sum = 0;
        var count = 0;
        for (var y = 0; y < Size; y++)
            for (var x = 0; x < Size; x++)
                for (var c = 0; c < 3; c++)
                {
                    var v = rgb[(y * Size + x) * 3 + c];
                    if (x + 1 < Size) { sum += Math.Pow(v - rgb[(y * Size + x + 1) * 3 + c], 2); count++; }
                    if (y + 1 < Size) { sum += Math.Pow(v - rgb[((y + 1) * Size + x) * 3 + c], 2); count++; }
                }
        return sum / count;
    }
}
