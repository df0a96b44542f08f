using SdApi.Engine.Models.BuiltIn;
using SdApi.Engine.Pipeline;

namespace SdApi.Engine.Tests.Pipeline;

[Collection(EngineCollection.Name)]
public sealed class FeatureTests(EngineFixture fixture)
{
    private DiffusionEngine Engine => fixture.Engine;

    [Fact]
    public async Task Upscale_doubles_the_output_size()
    {
        var result = await Engine.GenerateAsync(EngineFixture.Small() with { Upscale = 2 });
        result.Images[0].Width.Should().Be(128);
        result.Images[0].Height.Should().Be(128);
        result.Meta.Upscale.Should().Be(2);
    }

    [Fact]
    public async Task Panorama_draws_a_wide_image_window_by_window()
    {
        var request = EngineFixture.Small("orange ring") with { Width = 192, Height = 64, Panorama = true, Steps = 20 };
        var result = await Engine.GenerateAsync(request);
        result.Images[0].Width.Should().Be(192);
        // With an exact denoiser the windows' averaged predictions converge to the average of the windows' scenes.
        const int h = 8, w = 24;
        var square = OracleReference.GuidedRgb(fixture.Tokenizer, "orange ring", null, request.GuidanceScale, h, h, request.Seed!.Value);
        var sum = new float[3 * h * w];
        var coverage = new int[w];
        var windows = Panorama.Windows(h, w);
        windows.Should().HaveCountGreaterThan(2);
        foreach (var (x0, ww) in windows)
        {
            for (var c = 0; c < 3; c++)
                for (var y = 0; y < h; y++)
                    for (var x = 0; x < ww; x++) sum[(c * h + y) * w + x0 + x] += square[(c * h + y) * h + x];
            for (var x = x0; x < x0 + ww; x++) coverage[x]++;
        }
        for (var i = 0; i < sum.Length; i++) sum[i] /= coverage[i % w];
        OracleReference.Psnr(result.Images[0].Rgb, OracleReference.ToBytes(sum, 192, 64)).Should().BeGreaterThan(30);
    }

    [Fact]
    public async Task Highres_fix_reaches_the_full_size_prompt_image()
    {
        var request = EngineFixture.Small("cyan triangle") with { Width = 128, Height = 128, HighresFix = true, Steps = 20 };
        var steps = 0;
        var result = await Engine.GenerateAsync(request, new Progress(p => steps = p.TotalSteps));
        result.Images[0].Width.Should().Be(128);
        steps.Should().Be(20 + 10);
        var expected = OracleReference.ExpectedRgb(fixture.Tokenizer, "cyan triangle", null, request.GuidanceScale, 128, 128, request.Seed!.Value);
        OracleReference.Psnr(result.Images[0].Rgb, expected).Should().BeGreaterThan(30);
        result.Meta.HighresFix.Should().BeTrue();
    }

    [Theory]
    [InlineData("black")]
    [InlineData("blur")]
    [InlineData("pixelate")]
    [InlineData("sensitive_content_text")]
    public async Task Safety_checker_flags_unsafe_prompts_and_applies_the_action(string type)
    {
        var safe = await Engine.GenerateAsync(EngineFixture.Small("red circle") with { SafetyChecker = true, SafetyCheckerType = type });
        safe.NsfwContentDetected.Should().Equal(false);
        var plain = await Engine.GenerateAsync(EngineFixture.Small("nude red circle") with { Width = 96, Height = 96 });
        var flagged = await Engine.GenerateAsync(EngineFixture.Small("nude red circle") with { Width = 96, Height = 96, SafetyChecker = true, SafetyCheckerType = type });
        flagged.NsfwContentDetected.Should().Equal(true);
        flagged.Meta.SafetyCheckerType.Should().Be(type);
        flagged.Images[0].Rgb.Should().NotEqual(plain.Images[0].Rgb);
        if (type == "black") flagged.Images[0].Rgb.Should().OnlyContain(b => b == 0);
    }

    [Fact]
    public async Task Enhance_prompt_appends_text_reported_in_meta()
    {
        var plain = await Engine.GenerateAsync(EngineFixture.Small());
        var enhanced = await Engine.GenerateAsync(EngineFixture.Small() with { EnhancePrompt = true });
        enhanced.Meta.EnhancedPromptSuffix.Should().NotBeNullOrWhiteSpace();
        enhanced.Meta.EffectivePrompt.Should().Be("red circle" + enhanced.Meta.EnhancedPromptSuffix);
        enhanced.Images[0].Rgb.Should().NotEqual(plain.Images[0].Rgb);
    }

    [Fact]
    public async Task Model_management_loads_evicts_and_reloads()
    {
        using var engine = new DiffusionEngine(Engine.Options);
        engine.IsLoaded(DiffusionEngine.BuiltInModelId).Should().BeFalse();
        await engine.GenerateAsync(EngineFixture.Small() with { Steps = 1 });
        engine.IsLoaded(DiffusionEngine.BuiltInModelId).Should().BeTrue();
        engine.Evict(DiffusionEngine.BuiltInModelId).Should().BeTrue();
        engine.IsLoaded(DiffusionEngine.BuiltInModelId).Should().BeFalse();
        await engine.ReloadAsync(DiffusionEngine.BuiltInModelId);
        engine.IsLoaded(DiffusionEngine.BuiltInModelId).Should().BeTrue();
        engine.ModelExists("nope").Should().BeFalse();
        engine.ModelExists("../etc").Should().BeFalse();
    }

    [Fact]
    public async Task Unknown_vae_is_noted_in_lenient_mode_and_an_error_in_strict_mode()
    {
        var lenient = await Engine.GenerateAsync(EngineFixture.Small() with { Vae = "no-such-vae" });
        lenient.Meta.Notes.Should().Contain(n => n.Contains("no-such-vae"));
        using var strict = new DiffusionEngine(Engine.Options with { StrictModels = true });
        var act = () => strict.GenerateAsync(EngineFixture.Small() with { Vae = "no-such-vae" });
        (await act.Should().ThrowAsync<ModelNotFoundException>()).Which.Field.Should().Be("vae");
    }

    [Fact]
    public async Task A_custom_vae_from_the_store_decodes_the_image()
    {
        // A VAE folder whose decoder is the oracle's: same pixels as the model's own VAE.
        var files = BuiltInModel.Files();
        var folder = Path.Combine(fixture.StoreDirectory, "vae", "oracle-vae");
        Directory.CreateDirectory(Path.Combine(folder, "vae_decoder"));
        File.WriteAllBytes(Path.Combine(folder, "vae_decoder", "model.onnx"), files["vae_decoder/model.onnx"]);
        Engine.VaeExists("oracle-vae").Should().BeTrue();
        var own = await Engine.GenerateAsync(EngineFixture.Small());
        var custom = await Engine.GenerateAsync(EngineFixture.Small() with { Vae = "oracle-vae" });
        custom.Images[0].Rgb.Should().Equal(own.Images[0].Rgb);
        custom.Meta.Notes.Should().BeEmpty();
    }

    private sealed class Progress(Action<GenerationProgress> report) : IProgress<GenerationProgress>
    {
        public void Report(GenerationProgress value) => report(value);
    }
}
