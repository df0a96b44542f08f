using System.Security.Cryptography;
using SdApi.Engine.Pipeline;
using SdApi.Engine.Tests.Models;

namespace SdApi.Engine.Tests.Pipeline;

/// <summary>
/// The exact PNG bytes of a few requests, pinned with the hand-written ORT binding and PNG/JPEG decoders (commit
/// c168fe7) before the engine moved to Microsoft.ML.OnnxRuntime and SkiaSharp: the same request and seed must keep
/// giving the same file.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class PinnedOutputTests(EngineFixture fixture)
{
    private const string RandomId = "random-sd";

    private DiffusionEngine Engine(string? model)
    {
        if (model == RandomId)
        {
            var folder = fixture.Engine.Store.ModelFolder(RandomId);
            lock (typeof(RandomDiffusersModelTests))
                if (!File.Exists(Path.Combine(folder, "unet", "model.onnx")))
                    RandomDiffusersModel.WriteTo(folder);
        }
        return fixture.Engine;
    }

    private static GenerationRequest Request(string row) => row switch
    {
        "random ddim" => new() { ModelId = RandomId, Prompt = "a red fox in the snow", NegativePrompt = "blurry", Width = 64, Height = 48, Steps = 3, Seed = 5, Samples = 2, Scheduler = "DDIMScheduler" },
        "random euler-a lora" => new() { ModelId = RandomId, Prompt = "a lighthouse at dusk", Width = 48, Height = 64, Steps = 4, Seed = 11, Scheduler = "EulerAncestralDiscreteScheduler", Loras = [new("more_details", 0.8)] },
        "builtin ddim" => EngineFixture.Small(),
        "builtin unipc 3 samples" => new() { Prompt = "blue square over water", Width = 96, Height = 64, Steps = 12, Seed = 3, Samples = 3, Scheduler = "UniPCMultistepScheduler" },
        _ => throw new ArgumentOutOfRangeException(nameof(row)),
    };

    /// <summary>The first 16 hex digits of each image's SHA-256.</summary>
    private static async Task<string[]> Hashes(DiffusionEngine engine, GenerationRequest request)
    {
        var result = await engine.GenerateAsync(request);
        return [.. result.Images.Select(i => Convert.ToHexStringLower(SHA256.HashData(i.Png))[..16])];
    }

    [Theory]
    [InlineData("random ddim", "05f187a08920d484", "1872f5d0c0786637")]
    [InlineData("random euler-a lora", "6ebf3554ccafa941", "")]
    public async Task Random_weight_model_gives_the_pinned_pngs(string row, string first, string second)
    {
        var hashes = await Hashes(Engine(RandomId), Request(row));
        hashes.Should().Equal(new[] { first, second }.Where(h => h.Length > 0));
    }

    [Fact]
    public async Task Random_weight_img2img_of_a_pinned_png_gives_the_pinned_png()
    {
        var engine = Engine(RandomId);
        var init = (await engine.GenerateAsync(Request("random ddim"))).Images[0].Png;
        var hashes = await Hashes(engine, Request("random ddim") with { Mode = GenerationMode.Img2Img, InitImage = init, Strength = 0.6, Samples = 1 });
        hashes.Should().Equal("a35d20af1c266ed2");
    }

    // The built-in oracle model's pins change legitimately when the oracle itself changes (its graphs or its
    // per-sample seed input); re-pin them then, from a run on the engine before any other change. Re-pinned once, for
    // issue 15's seed/init/composition oracle (the values before it: 4ec3a09a8f178f53; 2d57e9496aba0504, af86bbe4bc0e2341,
    // b044e0ad415f6814), on Microsoft.ML.OnnxRuntime, whose random-weight pins above held unchanged.
    [Theory]
    [InlineData("builtin ddim", "88a21480ea082d14", "", "")]
    [InlineData("builtin unipc 3 samples", "bc7b0cf1da097b6f", "19a33855bbdd386c", "fbd0342e2cb01501")]
    public async Task Built_in_model_gives_the_pinned_pngs(string row, string first, string second, string third)
    {
        var hashes = await Hashes(Engine(null), Request(row));
        hashes.Should().Equal(new[] { first, second, third }.Where(h => h.Length > 0));
    }
}
