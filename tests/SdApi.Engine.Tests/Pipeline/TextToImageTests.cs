using SdApi.Engine.Imaging;
using SdApi.Engine.Models.BuiltIn;
using SdApi.Engine.Pipeline;

namespace SdApi.Engine.Tests.Pipeline;

[Collection(EngineCollection.Name)]
public sealed class TextToImageTests(EngineFixture fixture)
{
    private DiffusionEngine Engine => fixture.Engine;

    [Fact]
    public async Task Same_request_and_seed_give_identical_png_bytes()
    {
        var a = await Engine.GenerateAsync(EngineFixture.Small());
        var b = await Engine.GenerateAsync(EngineFixture.Small());
        a.Images[0].Png.Should().Equal(b.Images[0].Png);
    }

    [Fact]
    public async Task Different_seeds_give_visibly_different_images_at_full_step_counts()
    {
        // The seed composes the built-in model's picture (DiffusionBehaviourTests has the figures).
        var a = await Engine.GenerateAsync(EngineFixture.Small() with { Steps = 20, Seed = 1 });
        var b = await Engine.GenerateAsync(EngineFixture.Small() with { Steps = 20, Seed = 2 });
        ImageMeasures.MeanAbsoluteDifference(a.Images[0].Rgb, b.Images[0].Rgb).Should().BeGreaterThanOrEqualTo(10);
    }

    [Fact]
    public async Task A_null_seed_is_chosen_and_reported_and_reproduces_the_image()
    {
        var random = await Engine.GenerateAsync(EngineFixture.Small(seed: null) with { Steps = 2 });
        random.Meta.Seed.Should().Be(random.Seed);
        var again = await Engine.GenerateAsync(EngineFixture.Small(seed: random.Seed) with { Steps = 2 });
        again.Images[0].Png.Should().Equal(random.Images[0].Png);
    }

    [Theory]
    [InlineData("red circle")]
    [InlineData("blue square on grass")]
    [InlineData("yellow triangle at sunset")]
    public async Task The_image_converges_to_the_oracle_image_for_the_prompt(string prompt)
    {
        var request = EngineFixture.Small(prompt) with { Steps = 20, NegativePrompt = "" };
        var result = await Engine.GenerateAsync(request);
        var expected = OracleReference.ExpectedRgb(fixture.Tokenizer, prompt, "", request.GuidanceScale, 64, 64, request.Seed!.Value);
        OracleReference.Psnr(result.Images[0].Rgb, expected).Should().BeGreaterThan(35);
    }

    [Fact]
    public async Task The_prompt_decides_the_image()
    {
        var red = await Engine.GenerateAsync(EngineFixture.Small("red circle"));
        var blue = await Engine.GenerateAsync(EngineFixture.Small("blue circle"));
        OracleReference.Psnr(red.Images[0].Rgb, blue.Images[0].Rgb).Should().BeLessThan(15);
    }

    [Fact]
    public async Task Samples_are_batched_and_sample_i_equals_a_single_run_with_seed_plus_i()
    {
        var batch = await Engine.GenerateAsync(EngineFixture.Small() with { Samples = 3, Steps = 20 });
        batch.Images.Should().HaveCount(3);
        var single = await Engine.GenerateAsync(EngineFixture.Small(seed: 43) with { Steps = 20 });
        batch.Images[1].Rgb.Should().Equal(single.Images[0].Rgb);
        batch.Images[1].Seed.Should().Be(43);
    }

    [Fact]
    public async Task Concurrent_generations_give_the_same_bytes_as_sequential_ones()
    {
        using var engine = new DiffusionEngine(Engine.Options with { MaxConcurrentGenerations = 2 });
        var requests = new[] { EngineFixture.Small("red circle"), EngineFixture.Small("blue square", seed: 9), EngineFixture.Small("green ring", seed: 3) };
        var parallel = await Task.WhenAll(requests.Select(r => engine.GenerateAsync(r)));
        for (var i = 0; i < requests.Length; i++)
            parallel[i].Images[0].Png.Should().Equal((await Engine.GenerateAsync(requests[i])).Images[0].Png);
    }

    [Fact]
    public async Task Png_carries_the_generation_parameters()
    {
        var result = await Engine.GenerateAsync(EngineFixture.Small() with { NegativePrompt = "blue" });
        var text = SdApi.Engine.Tests.Imaging.PngText.Read(result.Images[0].Png);
        text.Should().ContainKey(A1111Parameters.Keyword);
        text[A1111Parameters.Keyword].Should().Contain("red circle").And.Contain("Negative prompt: blue").And.Contain("Seed: 42");
        var decoded = ImageDecoder.Decode(result.Images[0].Png).ToRgb();
        decoded.Pixels.Should().Equal(result.Images[0].Rgb);
    }

    [Fact]
    public async Task Clip_skip_selects_an_earlier_text_encoder_layer()
    {
        var last = await Engine.GenerateAsync(EngineFixture.Small() with { Steps = 20, GuidanceScale = 1 });
        var skip = await Engine.GenerateAsync(EngineFixture.Small() with { Steps = 20, GuidanceScale = 1, ClipSkip = 4 });
        var expected = OracleReference.ExpectedRgb(fixture.Tokenizer, "red circle", null, 1, 64, 64, seed: 42, clipSkip: 4);
        OracleReference.Psnr(skip.Images[0].Rgb, expected).Should().BeGreaterThan(35);
        skip.Images[0].Rgb.Should().NotEqual(last.Images[0].Rgb);
    }

    [Fact]
    public async Task Progress_is_reported_per_step_and_cancellation_stops_between_steps()
    {
        var steps = new List<int>();
        await Engine.GenerateAsync(EngineFixture.Small(), new SyncProgress(p => steps.Add(p.Step)));
        steps.Should().Equal(Enumerable.Range(1, 8));

        using var cts = new CancellationTokenSource();
        var seen = 0;
        var run = () => Engine.GenerateAsync(EngineFixture.Small(), new SyncProgress(p => { seen = p.Step; if (p.Step == 2) cts.Cancel(); }), cts.Token);
        await run.Should().ThrowAsync<OperationCanceledException>();
        seen.Should().Be(2);
    }

    [Fact]
    public async Task Bad_sizes_are_request_errors_naming_the_field()
    {
        var act = () => Engine.GenerateAsync(EngineFixture.Small() with { Width = 100 });
        (await act.Should().ThrowAsync<EngineRequestException>()).Which.Field.Should().Be("width");
    }

    private sealed class SyncProgress(Action<GenerationProgress> report) : IProgress<GenerationProgress>
    {
        public void Report(GenerationProgress value) => report(value);
    }
}
