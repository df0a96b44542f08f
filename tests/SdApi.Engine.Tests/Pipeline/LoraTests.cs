using SdApi.Engine.Lora;
using SdApi.Engine.Models;
using SdApi.Engine.Models.BuiltIn;
using SdApi.Engine.Pipeline;

namespace SdApi.Engine.Tests.Pipeline;

[Collection(EngineCollection.Name)]
public sealed class LoraTests(EngineFixture fixture)
{
    private const string Target = "lora_unet_mid_block_attentions_0_transformer_blocks_0_attn2_to_v";
    private DiffusionEngine Engine => fixture.Engine;

    /// <summary>A rank-2 adapter on the oracle UNet's condition weight with fixed, known factors.</summary>
    private static LoraAdapter KnownAdapter(string id, float seed, float alpha = 1f)
    {
        const int d = OracleFeatures.HiddenSize, rank = 2;
        var down = Enumerable.Range(0, rank * d).Select(i => MathF.Sin(i * 0.37f + seed) * 0.5f).ToArray();
        var up = Enumerable.Range(0, d * rank).Select(i => MathF.Cos(i * 0.53f + seed) * 0.5f).ToArray();
        return new LoraAdapter(id, [new LoraTarget(Target, LoraModule.Unet, rank, d, d, alpha, down, up)]);
    }

    private string WriteAdapter(LoraAdapter adapter)
    {
        var folder = Path.Combine(fixture.StoreDirectory, "loras");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, adapter.Id + ".safetensors");
        File.WriteAllBytes(path, adapter.ToSafeTensors());
        return path;
    }

    private string UnetPath => Path.Combine(Engine.Store.ModelFolder(DiffusionEngine.BuiltInModelId), "unet", "model.onnx");

    private float[] Merged(params WeightedAdapter[] adapters)
    {
        var (initializers, unmatched) = LoraMerger.Merge(UnetPath, LoraModule.Unet, adapters);
        unmatched.Should().BeEmpty();
        using var tensor = initializers[OracleUnet.ConditionWeightName];
        return tensor.GetTensorDataAsSpan<float>().ToArray();
    }

    [Fact]
    public void Merged_weight_equals_the_formula_transposed_for_matmul()
    {
        var adapter = KnownAdapter("known-a", 0.3f, alpha: 1f);
        var merged = Merged(new WeightedAdapter(adapter, 0.8f));
        const int d = OracleFeatures.HiddenSize;
        var t = adapter.Targets[Target];
        for (var i = 0; i < d; i++)        // out
            for (var j = 0; j < d; j++)    // in
            {
                double delta = 0;
                for (var k = 0; k < t.Rank; k++) delta += t.Up[i * t.Rank + k] * t.Down[k * d + j];
                var expected = (i == j ? 1.0 : 0.0) + 0.8 * (1.0 / t.Rank) * delta;
                merged[j * d + i].Should().BeApproximately((float)expected, 1e-5f); // MatMul weight is [in, out]
            }
    }

    [Fact]
    public async Task Text_encoder_targets_are_merged_into_the_text_encoder()
    {
        const int d = OracleFeatures.HiddenSize, rank = 2;
        var target = "lora_te_" + OracleTextEncoder.LayerWeightName(7).Replace(".weight", "", StringComparison.Ordinal).Replace('.', '_');
        var down = Enumerable.Range(0, rank * d).Select(i => MathF.Sin(i * 0.71f) * 0.6f).ToArray();
        var up = Enumerable.Range(0, d * rank).Select(i => MathF.Cos(i * 0.29f) * 0.6f).ToArray();
        WriteAdapter(new LoraAdapter("te-adapter", [new LoraTarget(target, LoraModule.TextEncoder, rank, d, d, rank, down, up)]));
        var plain = await Engine.GenerateAsync(EngineFixture.Small());
        var merged = await Engine.GenerateAsync(EngineFixture.Small() with { Loras = [new("te-adapter", 1)] });
        merged.Meta.Notes.Should().BeEmpty();
        OracleReference.Psnr(merged.Images[0].Rgb, plain.Images[0].Rgb).Should().BeLessThan(35);
    }

    [Fact]
    public void Two_adapters_combine_additively()
    {
        var a = KnownAdapter("known-a", 0.3f);
        var b = KnownAdapter("known-b", 1.7f);
        var both = Merged(new WeightedAdapter(a, 0.6f), new WeightedAdapter(b, 0.4f));
        var onlyA = Merged(new WeightedAdapter(a, 0.6f));
        var onlyB = Merged(new WeightedAdapter(b, 0.4f));
        const int d = OracleFeatures.HiddenSize;
        for (var i = 0; i < both.Length; i++)
        {
            var identity = i / d == i % d ? 1f : 0f;
            both[i].Should().BeApproximately(onlyA[i] + onlyB[i] - identity, 1e-5f);
        }
    }

    [Fact]
    public async Task Strength_zero_equals_no_lora_and_a_file_adapter_changes_the_image()
    {
        WriteAdapter(KnownAdapter("file-adapter", 0.9f, alpha: 8f));
        Engine.LoraExists("file-adapter").Should().BeTrue();
        var none = await Engine.GenerateAsync(EngineFixture.Small());
        var zero = await Engine.GenerateAsync(EngineFixture.Small() with { Loras = [new("file-adapter", 0)] });
        var full = await Engine.GenerateAsync(EngineFixture.Small() with { Loras = [new("file-adapter", 1)] });
        zero.Images[0].Rgb.Should().Equal(none.Images[0].Rgb);
        OracleReference.Psnr(full.Images[0].Rgb, none.Images[0].Rgb).Should().BeLessThan(30);
        full.Meta.SynthesizedLoras.Should().BeEmpty();
    }

    [Fact]
    public async Task Each_strength_applies_to_its_own_adapter()
    {
        WriteAdapter(KnownAdapter("own-a", 0.2f));
        WriteAdapter(KnownAdapter("own-b", 2.2f));
        var ab = await Engine.GenerateAsync(EngineFixture.Small() with { Loras = [new("own-a", 1), new("own-b", 0)] });
        var a = await Engine.GenerateAsync(EngineFixture.Small() with { Loras = [new("own-a", 1)] });
        ab.Images[0].Rgb.Should().Equal(a.Images[0].Rgb);
        var ba = await Engine.GenerateAsync(EngineFixture.Small() with { Loras = [new("own-a", 0), new("own-b", 1)] });
        ba.Images[0].Rgb.Should().NotEqual(a.Images[0].Rgb);
    }

    [Theory]
    [InlineData("more_details")]
    [InlineData("contrast-fix,yae-miko-genshin")]
    [InlineData("ganyu-lora,more_details")]
    public async Task Documented_lora_ids_without_files_are_synthesized_and_each_changes_the_image(string ids)
    {
        var plain = await Engine.GenerateAsync(EngineFixture.Small());
        var previous = plain.Images[0].Rgb;
        var selection = new List<LoraSelection>();
        foreach (var id in ids.Split(','))
        {
            selection.Add(new LoraSelection(id, 0.7));
            var result = await Engine.GenerateAsync(EngineFixture.Small() with { Loras = [.. selection] });
            result.Meta.SynthesizedLoras.Should().Contain(id);
            OracleReference.Psnr(result.Images[0].Rgb, previous).Should().BeLessThan(35, $"adding '{id}' must visibly change the image");
            previous = result.Images[0].Rgb;
        }
    }

    [Fact]
    public async Task Synthesized_adapters_are_deterministic()
    {
        var a = await Engine.GenerateAsync(EngineFixture.Small() with { Loras = [new("more_details", 0.5)] });
        using var other = new DiffusionEngine(Engine.Options);
        var b = await other.GenerateAsync(EngineFixture.Small() with { Loras = [new("more_details", 0.5)] });
        a.Images[0].Png.Should().Equal(b.Images[0].Png);
    }

    [Fact]
    public async Task Strict_mode_rejects_an_unknown_lora_id_by_name()
    {
        using var strict = new DiffusionEngine(Engine.Options with { StrictModels = true });
        var act = () => strict.GenerateAsync(EngineFixture.Small() with { Loras = [new("no-such-lora", 0.5)] });
        var error = (await act.Should().ThrowAsync<ModelNotFoundException>()).Which;
        error.Field.Should().Be("lora_model");
        error.Message.Should().Contain("no-such-lora");
    }

    [Fact]
    public async Task Strict_mode_rejects_an_unknown_model_and_lenient_mode_runs_the_built_in_one()
    {
        using var strict = new DiffusionEngine(Engine.Options with { StrictModels = true });
        var act = () => strict.GenerateAsync(EngineFixture.Small() with { ModelId = "midjourney" });
        (await act.Should().ThrowAsync<ModelNotFoundException>()).Which.Message.Should().Contain("midjourney");
        var lenient = await Engine.GenerateAsync(EngineFixture.Small() with { ModelId = "midjourney" });
        lenient.Meta.ModelId.Should().Be(DiffusionEngine.BuiltInModelId);
    }
}
