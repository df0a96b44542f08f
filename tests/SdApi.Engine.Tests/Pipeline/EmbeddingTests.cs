using SdApi.Engine.Lora;
using SdApi.Engine.Models.BuiltIn;
using SdApi.Engine.Pipeline;

namespace SdApi.Engine.Tests.Pipeline;

[Collection(EngineCollection.Name)]
public sealed class EmbeddingTests(EngineFixture fixture)
{
    private DiffusionEngine Engine => fixture.Engine;

    /// <summary>An A1111-style embedding whose one vector is the oracle's token embedding of <paramref name="word"/>.</summary>
    private void WriteEmbedding(string id, string word)
    {
        var scale = (float)Math.Pow(OracleTextEncoder.LayerGain, -OracleTextEncoder.Layers);
        var vector = OracleFeatures.TokenFeatures(word + "</w>").Select(v => v * scale).ToArray();
        var folder = Path.Combine(fixture.StoreDirectory, "embeddings");
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, id + ".safetensors"),
            SafeTensorsWriter.Write([new SafeTensorEntry("emb_params", [1, OracleFeatures.HiddenSize], vector)]));
    }

    [Fact]
    public async Task An_embedding_file_stands_in_for_its_trigger_word()
    {
        WriteEmbedding("azure-ti", "blue");
        Engine.EmbeddingExists("azure-ti").Should().BeTrue();
        var viaEmbedding = await Engine.GenerateAsync(EngineFixture.Small("azure-ti circle") with { EmbeddingsModel = "azure-ti", Steps = 20 });
        var expected = OracleReference.ExpectedRgb(fixture.Tokenizer, "blue circle", null, 7.5, 64, 64, seed: 42);
        OracleReference.Psnr(viaEmbedding.Images[0].Rgb, expected).Should().BeGreaterThan(35);
        viaEmbedding.Meta.Notes.Should().BeEmpty();
    }

    [Fact]
    public async Task An_embedding_in_the_negative_prompt_steers_away_from_it()
    {
        WriteEmbedding("crimson-ti", "red");
        var plain = await Engine.GenerateAsync(EngineFixture.Small("circle") with { NegativePrompt = "crimson-ti" });
        var steered = await Engine.GenerateAsync(EngineFixture.Small("circle") with { NegativePrompt = "crimson-ti", EmbeddingsModel = "crimson-ti" });
        steered.Images[0].Rgb.Should().NotEqual(plain.Images[0].Rgb);
    }

    [Fact]
    public async Task Unknown_embeddings_are_synthesized_in_lenient_mode_and_errors_in_strict_mode()
    {
        var plain = await Engine.GenerateAsync(EngineFixture.Small("easynegative red circle"));
        var synthesized = await Engine.GenerateAsync(EngineFixture.Small("easynegative red circle") with { EmbeddingsModel = "easynegative" });
        synthesized.Images[0].Rgb.Should().NotEqual(plain.Images[0].Rgb);
        var unused = await Engine.GenerateAsync(EngineFixture.Small("red circle") with { EmbeddingsModel = "easynegative" });
        unused.Meta.Notes.Should().Contain(n => n.Contains("trigger word"));

        using var strict = new DiffusionEngine(Engine.Options with { StrictModels = true });
        var act = () => strict.GenerateAsync(EngineFixture.Small() with { EmbeddingsModel = "no-such-embedding" });
        (await act.Should().ThrowAsync<ModelNotFoundException>()).Which.Field.Should().Be("embeddings_model");
    }
}
