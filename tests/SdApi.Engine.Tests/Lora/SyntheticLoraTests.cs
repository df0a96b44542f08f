using SdApi.Engine.Lora;

namespace SdApi.Engine.Tests.Lora;

public class SyntheticLoraTests
{
    private static readonly LoraTargetShape[] Shapes = [new("lora_unet_a", 8, 6), new("lora_te_b", 4, 4)];

    [Fact]
    public void Same_id_gives_the_same_adapter()
    {
        var first = SyntheticLora.Create("ganyu-lora", Shapes);
        var second = SyntheticLora.Create("ganyu-lora", Shapes);

        foreach (var name in first.Targets.Keys)
        {
            second.Targets[name].Down.Should().Equal(first.Targets[name].Down);
            second.Targets[name].Up.Should().Equal(first.Targets[name].Up);
        }
    }

    [Fact]
    public void Different_ids_and_targets_give_different_deltas()
    {
        var a = SyntheticLora.Create("ganyu-lora", Shapes);
        var b = SyntheticLora.Create("more_details", Shapes);

        LoraMerge.Delta(a.Targets["lora_unet_a"]).Should().NotEqual(LoraMerge.Delta(b.Targets["lora_unet_a"]));
        SyntheticLora.Seed("ganyu-lora", "lora_unet_a").Should().NotBe(SyntheticLora.Seed("ganyu-lora", "lora_te_b"));
    }

    [Fact]
    public void Seed_is_the_sha256_prefix_of_id_and_target()
    {
        var hash = System.Security.Cryptography.SHA256.HashData("abc\nlora_unet_a"u8);

        SyntheticLora.Seed("abc", "lora_unet_a").Should().Be(BitConverter.ToUInt64(hash, 0));
    }

    [Fact]
    public void Delta_size_follows_the_magnitude()
    {
        var small = LoraMerge.Delta(SyntheticLora.Create("x", [new("lora_unet_a", 64, 64)], rank: 4, magnitude: 0.01f).Targets["lora_unet_a"]);
        var large = LoraMerge.Delta(SyntheticLora.Create("x", [new("lora_unet_a", 64, 64)], rank: 4, magnitude: 1f).Targets["lora_unet_a"]);

        static double Rms(float[] v) => Math.Sqrt(v.Average(x => (double)x * x));
        (Rms(large) / Rms(small)).Should().BeApproximately(100, 1e-3);
        Rms(large).Should().BeApproximately(1 / (3 * Math.Sqrt(64)), 0.01); // magnitude / (3 sqrt(in))
    }

    [Fact]
    public void Rank_is_capped_by_the_layer_size()
    {
        SyntheticLora.Create("x", [new("lora_unet_a", 2, 3)], rank: 8).Targets["lora_unet_a"].Rank.Should().Be(2);
    }
}
