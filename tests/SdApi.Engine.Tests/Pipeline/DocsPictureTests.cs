using SdApi.Engine.Imaging;
using SdApi.Engine.Pipeline;
using SdApi.Engine.Safety;

namespace SdApi.Engine.Tests.Pipeline;

/// <summary>
/// The pictures in reference-engine/README.md, composed with the engine's own code: one prompt at four seeds, one init
/// image at five img2img strengths. Written to a temporary folder, or to <c>SDAPI_DOCS_DIR</c> when set
/// (<c>SDAPI_DOCS_DIR=$PWD/docs dotnet test tests/SdApi.Engine.Tests --filter DocsPictureTests</c>).
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class DocsPictureTests(EngineFixture fixture) : IDisposable
{
    private const int Panel = 256;
    private const int Caption = 24;
    private const string Prompt = "a red circle on a blue background";
    private readonly string _temporary = Path.Combine(Path.GetTempPath(), $"sdapi-docs-{Guid.NewGuid():N}");

    private string Folder => Environment.GetEnvironmentVariable("SDAPI_DOCS_DIR") is { Length: > 0 } docs ? docs : _temporary;

    [Fact]
    public async Task One_prompt_at_four_seeds()
    {
        var panels = new List<(byte[] Rgb, string Label)>();
        foreach (var seed in new long[] { 1, 2, 3, 4 })
        {
            var result = await fixture.Engine.GenerateAsync(new GenerationRequest { Prompt = Prompt, Width = Panel, Height = Panel, Steps = 20, Seed = seed });
            panels.Add((result.Images[0].Rgb, $"SEED {seed}"));
        }
        var strip = Compose(panels);
        File.WriteAllBytes(Directory.CreateDirectory(Folder).FullName + "/oracle-seeds.png", PngEncoder.Encode(strip));
        strip.Width.Should().Be(4 * Panel);
        for (var i = 1; i < panels.Count; i++)
            ImageMeasures.MeanAbsoluteDifference(panels[i].Rgb, panels[i - 1].Rgb).Should().BeGreaterThanOrEqualTo(10);
    }

    [Fact]
    public async Task One_init_image_at_five_strengths()
    {
        var init = ImageMeasures.Landscape(Panel, Panel);
        var panels = new List<(byte[] Rgb, string Label)>();
        foreach (var strength in new[] { 0, 0.25, 0.5, 0.75, 1 })
        {
            var result = await fixture.Engine.GenerateAsync(new GenerationRequest
            {
                Mode = GenerationMode.Img2Img, Prompt = Prompt, InitImage = PngEncoder.Encode(init), Strength = strength, Steps = 20, Seed = 1,
            });
            panels.Add((result.Images[0].Rgb, $"STRENGTH {strength:0.##}"));
        }
        var strip = Compose(panels);
        File.WriteAllBytes(Directory.CreateDirectory(Folder).FullName + "/oracle-img2img.png", PngEncoder.Encode(strip));
        strip.Width.Should().Be(5 * Panel);
        panels[0].Rgb.Should().Equal(init.Pixels, "strength 0 is the init image (exact VAE round trip for 8x8 blocks)");
        for (var i = 1; i < panels.Count; i++)
            ImageMeasures.MeanAbsoluteDifference(panels[i].Rgb, init.Pixels)
                .Should().BeGreaterThan(ImageMeasures.MeanAbsoluteDifference(panels[i - 1].Rgb, init.Pixels));
    }

    /// <summary>Panels side by side, each with its label in a caption strip below.</summary>
    private static RgbImage Compose(IReadOnlyList<(byte[] Rgb, string Label)> panels)
    {
        var strip = RgbImage.Filled(panels.Count * Panel, Panel + Caption, 255, 255, 255);
        for (var p = 0; p < panels.Count; p++)
        {
            for (var y = 0; y < Panel; y++)
                panels[p].Rgb.AsSpan(y * Panel * 3, Panel * 3).CopyTo(strip.Pixels.AsSpan((y * strip.Width + p * Panel) * 3, Panel * 3));
            var (w, h) = BitmapFont.Measure(panels[p].Label, 2);
            BitmapFont.Draw(strip, panels[p].Label, p * Panel + (Panel - w) / 2, Panel + (Caption - h) / 2, 2, (0, 0, 0));
        }
        return strip;
    }

    public void Dispose()
    {
        if (Directory.Exists(_temporary)) Directory.Delete(_temporary, recursive: true);
    }
}
