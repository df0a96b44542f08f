using SdApi.Engine.Pipeline;
using SdApi.Engine.Tests.Pipeline;

namespace SdApi.Engine.Tests.Models;

[Collection(EngineCollection.Name)]
public sealed class RandomDiffusersModelTests(EngineFixture fixture)
{
    private const string Id = "random-sd";

    private DiffusionEngine Engine
    {
        get
        {
            var folder = fixture.Engine.Store.ModelFolder(Id);
            lock (typeof(RandomDiffusersModelTests))
                if (!File.Exists(Path.Combine(folder, "unet", "model.onnx")))
                    RandomDiffusersModel.WriteTo(folder);
            return fixture.Engine;
        }
    }

    private static GenerationRequest Request => new()
    {
        ModelId = Id,
        Prompt = "a red fox in the snow",
        NegativePrompt = "blurry",
        Width = 64,
        Height = 48,
        Steps = 3,
        Seed = 5,
        Scheduler = "DDIMScheduler",
    };

    [Fact]
    public async Task Runs_through_the_same_loader_and_pipeline()
    {
        Engine.ModelExists(Id).Should().BeTrue();
        var result = await Engine.GenerateAsync(Request with { Samples = 2 });
        result.Meta.ModelId.Should().Be(Id);
        result.Images.Should().HaveCount(2);
        result.Images[0].Width.Should().Be(64);
        result.Images[0].Height.Should().Be(48);
        result.Images[0].Rgb.Should().NotEqual(result.Images[1].Rgb);
        var again = await Engine.GenerateAsync(Request with { Samples = 2 });
        again.Images[1].Png.Should().Equal(result.Images[1].Png);
    }

    [Fact]
    public async Task The_prompt_reaches_the_unet()
    {
        var fox = await Engine.GenerateAsync(Request);
        var cat = await Engine.GenerateAsync(Request with { Prompt = "a green cat on a boat" });
        cat.Images[0].Rgb.Should().NotEqual(fox.Images[0].Rgb);
    }

    [Fact]
    public async Task Synthesized_lora_targets_its_attention_projections()
    {
        var plain = await Engine.GenerateAsync(Request);
        var lora = await Engine.GenerateAsync(Request with { Loras = [new("more_details", 1)] });
        lora.Meta.SynthesizedLoras.Should().Equal("more_details");
        lora.Images[0].Rgb.Should().NotEqual(plain.Images[0].Rgb);
    }

    [Fact]
    public async Task Clip_skip_without_hidden_states_is_noted_not_failed()
    {
        var result = await Engine.GenerateAsync(Request with { ClipSkip = 2 });
        result.Meta.Notes.Should().Contain(n => n.Contains("clip_skip"));
    }

    [Fact]
    public async Task Img2img_encodes_through_its_vae_encoder()
    {
        var init = (await Engine.GenerateAsync(Request)).Images[0].Png;
        var roundTrip = await Engine.GenerateAsync(Request with { Mode = GenerationMode.Img2Img, InitImage = init, Strength = 0 });
        var result = await Engine.GenerateAsync(Request with { Mode = GenerationMode.Img2Img, InitImage = init, Strength = 0.5 });
        result.Images[0].Width.Should().Be(64);
        result.Images[0].Height.Should().Be(48);
        result.Images[0].Rgb.Should().NotEqual(roundTrip.Images[0].Rgb);
    }
}
