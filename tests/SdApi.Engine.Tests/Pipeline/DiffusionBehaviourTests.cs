using SdApi.Engine.Imaging;
using SdApi.Engine.Models.BuiltIn;
using SdApi.Engine.Pipeline;
using Xunit.Abstractions;

namespace SdApi.Engine.Tests.Pipeline;

/// <summary>
/// The built-in model behaves like a diffusion model where users look (issue 15): the seed composes the picture,
/// img2img strength carries the init image towards the prompt, colour words colour the shape or the ground.
/// Figures printed here are the ones in reference-engine/README.md.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class DiffusionBehaviourTests(EngineFixture fixture, ITestOutputHelper output)
{
    private const int Size = 128;
    private DiffusionEngine Engine => fixture.Engine;

    private static GenerationRequest Text2Img(string prompt, long seed, string? scheduler = null, int steps = 20) => new()
    {
        Prompt = prompt, Width = Size, Height = Size, Steps = steps, Seed = seed, Scheduler = scheduler,
    };

    [Theory]
    [InlineData("a red circle on a blue background")]
    [InlineData("green square")]
    [InlineData("yellow triangle at sunset")]
    [InlineData("")]
    public async Task Seed_one_and_seed_two_give_visibly_different_images_each_the_seeds_target(string prompt)
    {
        var one = await Engine.GenerateAsync(Text2Img(prompt, 1));
        var two = await Engine.GenerateAsync(Text2Img(prompt, 2));
        var distance = ImageMeasures.MeanAbsoluteDifference(one.Images[0].Rgb, two.Images[0].Rgb);
        output.WriteLine($"'{prompt}': seed 1 vs 2 mean |diff| {distance:F1}");
        distance.Should().BeGreaterThanOrEqualTo(10);
        foreach (var (result, seed) in new[] { (one, 1L), (two, 2L) })
        {
            var expected = OracleReference.ExpectedRgb(fixture.Tokenizer, prompt, null, 7.5, Size, Size, seed);
            OracleReference.Psnr(result.Images[0].Rgb, expected).Should().BeGreaterThan(30);
        }
    }

    [Fact]
    public async Task The_samples_of_one_request_differ_and_sample_i_equals_a_single_run_with_seed_plus_i()
    {
        var batch = await Engine.GenerateAsync(Text2Img("a red circle on a blue background", 42) with { Samples = 4 });
        var smallest = double.MaxValue;
        for (var i = 0; i < 4; i++)
            for (var j = i + 1; j < 4; j++)
            {
                var distance = ImageMeasures.MeanAbsoluteDifference(batch.Images[i].Rgb, batch.Images[j].Rgb);
                output.WriteLine($"samples {i} vs {j}: mean |diff| {distance:F1}");
                smallest = Math.Min(smallest, distance);
            }
        smallest.Should().BeGreaterThanOrEqualTo(10);
        var single = await Engine.GenerateAsync(Text2Img("a red circle on a blue background", 45));
        batch.Images[3].Rgb.Should().Equal(single.Images[0].Rgb);
        var again = await Engine.GenerateAsync(Text2Img("a red circle on a blue background", 42) with { Samples = 4 });
        again.Images.Select(i => i.Png).Should().BeEquivalentTo(batch.Images.Select(i => i.Png), o => o.WithStrictOrdering());
    }

    [Theory]
    [InlineData(null, 20)]           // the built-in model's own scheduler (UniPC)
    [InlineData("DDIMScheduler", 20)]
    [InlineData("UniPCMultistepScheduler", 20)]
    [InlineData("EulerAncestralDiscreteScheduler", 20)]
    [InlineData("DPMSolverMultistepScheduler", 20)]
    [InlineData("DDPMScheduler", 20)]
    [InlineData("UniPCMultistepScheduler", 50)]
    [InlineData("EulerAncestralDiscreteScheduler", 10)]
    public async Task Img2img_moves_from_the_init_image_to_the_prompt_with_strength_and_leaves_no_noise(string? scheduler, int steps)
    {
        const string prompt = "a red circle on a blue background";
        var init = ImageMeasures.Landscape(Size, Size);
        var initHf = ImageMeasures.HighFrequencyEnergy(init.Pixels, Size, Size);
        var text2img = (await Engine.GenerateAsync(Text2Img(prompt, 7, scheduler, steps))).Images[0].Rgb;
        var textHf = ImageMeasures.HighFrequencyEnergy(text2img, Size, Size);
        double[] strengths = [0, 0.1, 0.3, 0.5, 0.7, 0.9, 1];
        var distances = new List<double>();
        foreach (var strength in strengths)
        {
            var result = await Engine.GenerateAsync(Text2Img(prompt, 7, scheduler, steps) with
            {
                Mode = GenerationMode.Img2Img, InitImage = PngEncoder.Encode(init), Strength = strength,
            });
            var rgb = result.Images[0].Rgb;
            var distance = ImageMeasures.MeanAbsoluteDifference(rgb, init.Pixels);
            var hf = ImageMeasures.HighFrequencyEnergy(rgb, Size, Size);
            var expected = OracleReference.ExpectedImg2ImgRgb(fixture.Tokenizer, prompt, null, 7.5, init.Pixels, Size, Size, 7, strength);
            var psnr = OracleReference.Psnr(rgb, expected);
            output.WriteLine($"{scheduler ?? "default"} {steps} steps, strength {strength}: |diff| to init {distance:F1}, to text2img {ImageMeasures.MeanAbsoluteDifference(rgb, text2img):F1}, HF {hf:F0} (init {initHf:F0}), PSNR to target {psnr:F1} dB");
            if (strength == 0) distance.Should().BeLessThanOrEqualTo(0.5, "strength 0 is the init image's VAE round trip (exact for 8x8 blocks)");
            else distance.Should().BeGreaterThan(distances[^1], "the distance to the init image grows with the strength");
            // no residual noise: no more high-frequency energy than the two images it lies between
            hf.Should().BeLessThanOrEqualTo(Math.Max(initHf, textHf) * 1.02);
            psnr.Should().BeGreaterThan(30, "the result is the init image carried towards the scene, nothing else");
            if (strength == 0.1)
            {
                distance.Should().BeLessThanOrEqualTo(12);
                hf.Should().BeLessThanOrEqualTo(initHf, "strength 0.1 keeps the init image without adding noise");
            }
            if (strength == 0.9) ImageMeasures.MeanAbsoluteDifference(rgb, text2img).Should().BeLessThan(distance / 4, "strength 0.9 is mostly the prompt");
            distances.Add(distance);
        }
    }

    [Theory]
    [InlineData("DDIMScheduler")]
    [InlineData(null)]
    [InlineData("UniPCMultistepScheduler")]
    [InlineData("EulerAncestralDiscreteScheduler")]
    [InlineData("DPMSolverMultistepScheduler")]
    [InlineData("EulerDiscreteScheduler")]
    [InlineData("HeunDiscreteScheduler")]
    [InlineData("KDPM2AncestralDiscreteScheduler")]
    [InlineData("DDPMScheduler")]
    [InlineData("LCMScheduler")]
    public async Task Img2img_never_leaves_residual_noise_at_any_step_count(string? scheduler)
    {
        const int size = 64;
        var init = ImageMeasures.Landscape(size, size);
        var initHf = ImageMeasures.HighFrequencyEnergy(init.Pixels, size, size);
        foreach (var steps in new[] { 1, 2, 3, 5, 10, 20, 50 })
        {
            var previous = -1.0;
            foreach (var strength in new[] { 0.1, 0.5, 0.9 })
            {
                var request = Text2Img("a red circle on a blue background", 11, scheduler, steps) with
                {
                    Width = size, Height = size, Mode = GenerationMode.Img2Img, InitImage = PngEncoder.Encode(init), Strength = strength,
                };
                var rgb = (await Engine.GenerateAsync(request)).Images[0].Rgb;
                var target = OracleReference.ExpectedImg2ImgRgb(fixture.Tokenizer, request.Prompt, null, 7.5, init.Pixels, size, size, 11, strength);
                var hf = ImageMeasures.HighFrequencyEnergy(rgb, size, size);
                var bound = Math.Max(initHf, ImageMeasures.HighFrequencyEnergy(target, size, size));
                var distance = ImageMeasures.MeanAbsoluteDifference(rgb, init.Pixels);
                output.WriteLine($"{scheduler ?? "default"} {steps} steps, strength {strength}: HF {hf:F0} (bound {bound:F0}), |diff| to init {distance:F1}");
                hf.Should().BeLessThanOrEqualTo(bound * 1.02, $"{steps} steps, strength {strength}: no residual noise");
                distance.Should().BeGreaterThanOrEqualTo(previous, "the distance to the init image does not shrink as strength grows");
                previous = distance;
            }
        }
    }

    [Fact]
    public async Task At_512x512_and_20_steps_seeds_samples_and_strength_behave_as_at_128()
    {
        const int size = 512;
        const string prompt = "a red circle on a blue background";
        var request = new GenerationRequest { Prompt = prompt, Width = size, Height = size, Steps = 20, Seed = 1, Samples = 2 };
        var seeds12 = await Engine.GenerateAsync(request);
        var seed2 = await Engine.GenerateAsync(request with { Seed = 2, Samples = 1 });
        var samples = ImageMeasures.MeanAbsoluteDifference(seeds12.Images[0].Rgb, seeds12.Images[1].Rgb);
        seed2.Images[0].Rgb.Should().Equal(seeds12.Images[1].Rgb, "sample 1 of seed 1 is seed 2");
        var init = ImageMeasures.Landscape(size, size);
        var img2img = request with { Mode = GenerationMode.Img2Img, InitImage = PngEncoder.Encode(init), Samples = 1 };
        var low = (await Engine.GenerateAsync(img2img with { Strength = 0.1 })).Images[0].Rgb;
        var high = (await Engine.GenerateAsync(img2img with { Strength = 0.9 })).Images[0].Rgb;
        var (lowDistance, highToText) = (ImageMeasures.MeanAbsoluteDifference(low, init.Pixels), ImageMeasures.MeanAbsoluteDifference(high, seeds12.Images[0].Rgb));
        var (lowHf, initHf) = (ImageMeasures.HighFrequencyEnergy(low, size, size), ImageMeasures.HighFrequencyEnergy(init.Pixels, size, size));
        output.WriteLine($"512x512: seed 1 vs 2 (samples of one request) {samples:F1}; img2img 0.1: {lowDistance:F1} from init, HF {lowHf:F1} (init {initHf:F1}); 0.9: {highToText:F1} from text2img, {ImageMeasures.MeanAbsoluteDifference(high, init.Pixels):F1} from init");
        samples.Should().BeGreaterThanOrEqualTo(10);
        lowDistance.Should().BeLessThanOrEqualTo(12);
        lowHf.Should().BeLessThanOrEqualTo(initHf);
        highToText.Should().BeLessThan(ImageMeasures.MeanAbsoluteDifference(high, init.Pixels) / 4);
    }

    [Fact]
    public async Task Panorama_img2img_gives_each_window_its_part_of_the_init_image()
    {
        var init = ImageMeasures.Landscape(192, 64);
        var distances = new List<double>();
        foreach (var strength in new[] { 0.0, 0.3, 0.6 })
        {
            var result = await Engine.GenerateAsync(Text2Img("a red circle on a blue background", 3) with
            {
                Mode = GenerationMode.Img2Img, Panorama = true, InitImage = PngEncoder.Encode(init), Strength = strength,
            });
            (result.Images[0].Width, result.Images[0].Height).Should().Be((192, 64));
            distances.Add(ImageMeasures.MeanAbsoluteDifference(result.Images[0].Rgb, init.Pixels));
            ImageMeasures.HighFrequencyEnergy(result.Images[0].Rgb, 192, 64).Should().BeLessThan(2 * ImageMeasures.HighFrequencyEnergy(init.Pixels, 192, 64));
        }
        output.WriteLine($"panorama img2img |diff| to init at 0 / 0.3 / 0.6: {string.Join(" / ", distances.Select(d => d.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)))}");
        distances[0].Should().Be(0);
        distances[1].Should().BeInRange(0.1, 0.45 * distances[2] + 5);
        distances[2].Should().BeGreaterThan(distances[1]);
    }

    [Fact]
    public async Task Inpaint_changes_only_the_masked_region_and_by_the_strength()
    {
        var init = ImageMeasures.Landscape(Size, Size);
        var mask = RgbImage.Filled(Size, Size, 0, 0, 0);
        for (var y = 24; y < 104; y++)
            for (var x = 16; x < 96; x++) mask.SetRgb(x, y, 255, 255, 255);
        var previous = 0.0;
        foreach (var strength in new[] { 0.2, 0.6, 1.0 })
        {
            var result = await Engine.GenerateAsync(Text2Img("a red circle on a blue background", 3) with
            {
                Mode = GenerationMode.Inpaint, InitImage = PngEncoder.Encode(init), MaskImage = PngEncoder.Encode(mask), Strength = strength,
            });
            var rgb = result.Images[0].Rgb;
            long inside = 0, count = 0;
            for (var i = 0; i < Size * Size; i++)
                for (var c = 0; c < 3; c++)
                {
                    if (mask.Pixels[i * 3] == 0) rgb[i * 3 + c].Should().Be(init.Pixels[i * 3 + c]);
                    else { inside += Math.Abs(rgb[i * 3 + c] - init.Pixels[i * 3 + c]); count++; }
                }
            var masked = (double)inside / count;
            output.WriteLine($"inpaint strength {strength}: masked region |diff| {masked:F1}, unmasked identical");
            masked.Should().BeGreaterThan(previous);
            previous = masked;
        }
        previous.Should().BeGreaterThan(30);
    }

    [Theory]
    [InlineData("a red circle on a blue background", "red", "blue")]
    [InlineData("a blue square on green grass", "blue", "green")]
    [InlineData("yellow triangle against black", "yellow", "black")]
    [InlineData("a white background with a purple diamond", "purple", "white")]
    public async Task Colour_words_colour_the_shape_or_the_ground(string prompt, string shapeColour, string groundColour)
    {
        const long seed = 5;
        var rgb = (await Engine.GenerateAsync(Text2Img(prompt, seed))).Images[0].Rgb;
        var composition = OracleComposition.FromSeed(seed);
        var (cx, cy) = ((int)(Size / 2 * (1 + composition.OffsetU)), (int)(Size / 2 * (1 + composition.OffsetV)));
        // the ground: the corner farthest from the shape's centre
        var (gx, gy) = (cx < Size / 2 ? Size - 2 : 1, cy < Size / 2 ? Size - 2 : 1);
        AssertColour(rgb, cx, cy, shapeColour, groundColour);
        AssertColour(rgb, gx, gy, groundColour, shapeColour);
    }

    [Fact]
    public async Task A_negative_prompt_pushes_the_shape_colour_away()
    {
        const long seed = 5;
        var composition = OracleComposition.FromSeed(seed);
        var centre = ((int)(Size / 2 * (1 + composition.OffsetV)) * Size + (int)(Size / 2 * (1 + composition.OffsetU))) * 3;
        var plain = (await Engine.GenerateAsync(Text2Img("purple circle", seed))).Images[0].Rgb;
        var steered = (await Engine.GenerateAsync(Text2Img("purple circle", seed) with { NegativePrompt = "red" })).Images[0].Rgb;
        var red = OracleFeatures.Colours["red"].Select(v => (v * 0.5 + 0.5) * 255).ToArray();
        double DistanceToRed(byte[] rgb) => Math.Sqrt(Enumerable.Range(0, 3).Sum(c => Math.Pow(rgb[centre + c] - red[c], 2)));
        output.WriteLine($"shape colour's distance to red: {DistanceToRed(plain):F0} without, {DistanceToRed(steered):F0} with negative prompt 'red'");
        DistanceToRed(steered).Should().BeGreaterThan(DistanceToRed(plain) + 40, "a negative prompt pushes away from its colour");
    }

    /// <summary>The pixel shows <paramref name="named"/>: nearer to it than to <paramref name="other"/> or to their mix (the old oracle's answer).</summary>
    private static void AssertColour(byte[] rgb, int x, int y, string named, string other)
    {
        var p = (y * Size + x) * 3;
        double[] Bytes(float[] c) => [.. c.Select(v => (v * 0.5 + 0.5) * 255)];
        double Distance(double[] c) => Math.Sqrt(Enumerable.Range(0, 3).Sum(k => Math.Pow(rgb[p + k] - Math.Clamp(c[k], 0, 255), 2)));
        var a = Bytes(OracleFeatures.Colours[named]);
        var b = Bytes(OracleFeatures.Colours[other]);
        var mix = a.Zip(b, (i, j) => (i + j) / 2).ToArray();
        Distance(a).Should().BeLessThan(100, $"pixel ({x}, {y}) shows {named}");
        Distance(a).Should().BeLessThan(Distance(b), $"pixel ({x}, {y}) shows {named}, not {other}");
        Distance(a).Should().BeLessThan(Distance(mix), $"pixel ({x}, {y}) shows {named}, not a mix with {other}");
    }
}
