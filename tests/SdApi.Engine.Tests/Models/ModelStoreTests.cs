using SdApi.Engine.Models;
using SdApi.Engine.Models.BuiltIn;
using SdApi.Engine.Onnx;
using SdApi.Engine.Ort;

namespace SdApi.Engine.Tests.Models;

public sealed class ModelStoreTests
{
    [Theory]
    [InlineData("midjourney", true)]
    [InlineData("realistic-vision-51", true)]
    [InlineData("more_details", true)]
    [InlineData("..", false)]
    [InlineData("../etc", false)]
    [InlineData("a/b", false)]
    [InlineData("", false)]
    public void Ids_are_single_safe_path_segments(string id, bool safe) => ModelStore.IsSafeId(id).Should().Be(safe);

    [Fact]
    public void The_store_lists_the_built_in_model_and_finds_files_by_id()
    {
        var root = Path.Combine(Path.GetTempPath(), $"sdapi-store-{Guid.NewGuid():N}");
        try
        {
            var store = new ModelStore(root);
            store.ModelIds().Should().Equal(BuiltInModel.Id);
            store.HasModel(BuiltInModel.Id).Should().BeTrue();
            store.HasModel("missing").Should().BeFalse();
            Directory.CreateDirectory(Path.Combine(root, "loras"));
            File.WriteAllBytes(Path.Combine(root, "loras", "x.safetensors"), [0]);
            store.HasLora("x").Should().BeTrue();
            store.HasLora("../loras/x").Should().BeFalse();
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Initializers_written_by_the_writer_are_read_back_with_how_nodes_use_them()
    {
        var g = new OnnxGraphBuilder("uses");
        var x = g.Input("x", OrtElementType.Float, 1L, 2L);
        var w = g.Initializer("proj.weight", [1, 2, 3, 4], 2, 2);
        var k = g.Initializer("conv.weight", [5], 1, 1, 1, 1);
        var y = g.MatMul(x, w);
        g.Output("y", g.Op("Conv", [g.Reshape(y, g.Int64s(1, 1, 1, 2)), k]), OrtElementType.Float, 1L, 1L, 1L, 2L);
        var path = Path.Combine(Path.GetTempPath(), $"sdapi-reader-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, g.ToModelBytes());
        try
        {
            var read = OnnxModelReader.ReadInitializers(path, name => name == "proj.weight");
            read["proj.weight"].Should().Match<OnnxInitializerInfo>(i => i.Use == OnnxWeightUse.MatMulRight && i.Data != null);
            read["proj.weight"].Dims.Should().Equal(2, 2);
            read["proj.weight"].Data.Should().Equal(1f, 2f, 3f, 4f);
            read["conv.weight"].Use.Should().Be(OnnxWeightUse.ConvKernel);
            read["conv.weight"].Data.Should().BeNull("its data was not asked for");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("azure-ti circle", 2)]
    [InlineData("an AZURE-TI, and azure-ti!", 3)]
    [InlineData("azure-tiles", 1)]
    [InlineData("my-azure-ti", 1)]
    public void Embedding_trigger_words_match_whole_words_only(string prompt, int parts)
    {
        var embedding = TextualInversion.Synthesize("azure-ti", 4, 1, 1);
        embedding.Split(prompt).Should().HaveCount(parts);
    }
}
