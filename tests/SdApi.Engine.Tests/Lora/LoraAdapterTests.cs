using SdApi.Engine.Lora;

namespace SdApi.Engine.Tests.Lora;

public class LoraAdapterTests
{
    [Fact]
    public void Kohya_keys_parse_into_targets()
    {
        KohyaKey.TryParse("lora_unet_down_blocks_0_attentions_0_proj_in.lora_down.weight", out var t, out var m, out var p).Should().BeTrue();
        (t, m, p).Should().Be(("lora_unet_down_blocks_0_attentions_0_proj_in", LoraModule.Unet, KohyaPart.Down));
        KohyaKey.TryParse("lora_te_text_model_encoder_layers_0_mlp_fc1.alpha", out t, out m, out p).Should().BeTrue();
        (t, m, p).Should().Be(("lora_te_text_model_encoder_layers_0_mlp_fc1", LoraModule.TextEncoder, KohyaPart.Alpha));
        KohyaKey.TryParse("lora_te2_x.lora_up.weight", out _, out m, out p).Should().BeTrue();
        (m, p).Should().Be((LoraModule.TextEncoder2, KohyaPart.Up));
        KohyaKey.TryParse("unet.down_blocks.0.lora_A.weight", out _, out _, out _).Should().BeFalse();
    }

    [Fact]
    public void Reads_a_kohya_file_with_and_without_alpha()
    {
        var bytes = SafeTensorsWriter.Write(
        [
            new("lora_unet_a.lora_down.weight", [2, 3], [1, 2, 3, 4, 5, 6]),
            new("lora_unet_a.lora_up.weight", [4, 2], [1, 0, 0, 1, 1, 1, 0, 0]),
            new("lora_unet_a.alpha", [], [1f]),
            // conv: down [r, in, kh, kw], up [out, r, 1, 1]; no alpha -> alpha = rank
            new("lora_unet_conv.lora_down.weight", [1, 2, 3, 3], new float[18], "F16"),
            new("lora_unet_conv.lora_up.weight", [5, 1, 1, 1], new float[5], "F16"),
            new("something_else", [1], [0f]),
        ]);

        var adapter = LoraAdapter.FromSafeTensors("my-lora", SafeTensorsFile.Read(bytes));

        adapter.Targets.Keys.Should().BeEquivalentTo("lora_unet_a", "lora_unet_conv");
        var a = adapter.Targets["lora_unet_a"];
        (a.Rank, a.InFeatures, a.OutFeatures, a.Alpha, a.Scale).Should().Be((2, 3, 4, 1f, 0.5f));
        var conv = adapter.Targets["lora_unet_conv"];
        (conv.Rank, conv.InFeatures, conv.OutFeatures, conv.Alpha).Should().Be((1, 18, 5, 1f));
    }

    [Fact]
    public void A_target_without_its_up_weight_is_an_error()
    {
        var bytes = SafeTensorsWriter.Write([new("lora_unet_a.lora_down.weight", [2, 3], new float[6])]);

        var act = () => LoraAdapter.FromSafeTensors("x", SafeTensorsFile.Read(bytes));

        act.Should().Throw<SafeTensorsException>().WithMessage("*lora_up*");
    }

    [Fact]
    public void Adapter_survives_a_write_read_round_trip()
    {
        var adapter = SyntheticLora.Create("round-trip", [new("lora_unet_x", 6, 5), new("lora_te_y", 3, 4)], rank: 2);

        var back = LoraAdapter.FromSafeTensors("round-trip", SafeTensorsFile.Read(adapter.ToSafeTensors()));

        back.Targets.Keys.Should().BeEquivalentTo(adapter.Targets.Keys);
        foreach (var (name, t) in adapter.Targets)
        {
            back.Targets[name].Should().BeEquivalentTo(t, o => o.WithStrictOrdering());
        }
    }
}

public class DiffusersLoraKeyTests
{
    [Theory]
    [InlineData("unet.down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_q.lora_A.weight", "lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn1_to_q", LoraModule.Unet, KohyaPart.Down)]
    [InlineData("unet.mid_block.attentions.0.proj_in.lora.up.weight", "lora_unet_mid_block_attentions_0_proj_in", LoraModule.Unet, KohyaPart.Up)]
    [InlineData("unet.up_blocks.1.attentions.0.transformer_blocks.0.attn2.processor.to_out_lora.down.weight", "lora_unet_up_blocks_1_attentions_0_transformer_blocks_0_attn2_to_out_0", LoraModule.Unet, KohyaPart.Down)]
    [InlineData("text_encoder.text_model.encoder.layers.3.self_attn.v_proj.lora_B.weight", "lora_te_text_model_encoder_layers_3_self_attn_v_proj", LoraModule.TextEncoder, KohyaPart.Up)]
    [InlineData("text_encoder_2.text_model.encoder.layers.0.mlp.fc1.alpha", "lora_te2_text_model_encoder_layers_0_mlp_fc1", LoraModule.TextEncoder2, KohyaPart.Alpha)]
    public void Diffusers_names_map_to_kohya_targets(string key, string target, LoraModule module, KohyaPart part)
    {
        DiffusersLoraKey.TryParse(key, out var t, out var m, out var p).Should().BeTrue();
        (t, m, p).Should().Be((target, module, part));
    }

    [Fact]
    public void Peft_file_reads_like_the_kohya_file()
    {
        var bytes = SafeTensorsWriter.Write(
        [
            new("unet.mid_block.attentions.0.proj_in.lora_A.weight", [2, 3], [1, 2, 3, 4, 5, 6]),
            new("unet.mid_block.attentions.0.proj_in.lora_B.weight", [4, 2], [1, 0, 0, 1, 1, 1, 0, 0]),
        ]);

        var target = LoraAdapter.FromSafeTensors("peft", SafeTensorsFile.Read(bytes)).Targets["lora_unet_mid_block_attentions_0_proj_in"];

        (target.Rank, target.InFeatures, target.OutFeatures, target.Alpha).Should().Be((2, 3, 4, 2f));
    }

    [Fact]
    public void A_file_without_lora_tensors_is_an_error()
    {
        var bytes = SafeTensorsWriter.Write([new("lora_unet_a.hada_w1_a", [2, 2], new float[4])]);

        var act = () => LoraAdapter.FromSafeTensors("loha", SafeTensorsFile.Read(bytes));

        act.Should().Throw<SafeTensorsException>().WithMessage("*no kohya or diffusers LoRA tensors*");
    }
}
