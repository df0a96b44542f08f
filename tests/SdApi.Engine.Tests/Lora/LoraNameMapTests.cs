using SdApi.Engine.Lora;

namespace SdApi.Engine.Tests.Lora;

public class LoraNameMapTests
{
    [Fact]
    public void Initializer_names_normalise_to_kohya_targets()
    {
        LoraNameMap.ToKohyaTarget("down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_q.weight", LoraModule.Unet)
            .Should().Be("lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn1_to_q");
        LoraNameMap.ToKohyaTarget("text_model.encoder.layers.11.self_attn.out_proj.weight", LoraModule.TextEncoder)
            .Should().Be("lora_te_text_model_encoder_layers_11_self_attn_out_proj");
    }

    [Fact]
    public void Build_maps_weights_and_reports_unmatched_targets()
    {
        string[] initializers = ["mid_block.attentions.0.proj_in.weight", "mid_block.attentions.0.proj_in.bias", "onnx::MatMul_1234"];
        var map = LoraNameMap.Build(initializers, LoraModule.Unet);
        var adapter = SyntheticLora.Create("x", [new("lora_unet_mid_block_attentions_0_proj_in", 2, 2), new("lora_unet_up_blocks_0_resnets_0_conv1", 2, 2)]);

        map.Should().Equal(new Dictionary<string, string> { ["lora_unet_mid_block_attentions_0_proj_in"] = "mid_block.attentions.0.proj_in.weight" });
        LoraNameMap.Unmatched(adapter, map, LoraModule.Unet).Should().Equal("lora_unet_up_blocks_0_resnets_0_conv1");
    }
}
