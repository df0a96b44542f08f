using SdApi.Engine.Onnx;
using SdApi.Engine.Ort;

namespace SdApi.Engine.Models.BuiltIn;

/// <summary>
/// The oracle VAE: the decoder is a 1x1 convolution (<see cref="OracleLatentSpace.Decode"/>) then nearest 8x
/// upsampling; the encoder is an 8x8 average pool then a 1x1 convolution (<see cref="OracleLatentSpace.Encode"/>).
/// A round trip therefore returns each 8x8 block's mean colour.
/// </summary>
public static class OracleVae
{
    public static byte[] BuildDecoder()
    {
        var g = new OnnxGraphBuilder("oracle_vae_decoder");
        var z = g.Input("latent_sample", OrtElementType.Float, "batch", 4L, "height", "width");
        var weight = OracleLatentSpace.Decode.Select(v => v * OracleLatentSpace.VaeScalingFactor).ToArray();
        var rgb = g.Op("Conv", [z, g.Initializer("decoder.conv_out.weight", weight, 3, 4, 1, 1), g.Initializer("decoder.conv_out.bias", new float[3], 3)]);
        var up = g.Op("Resize", [rgb, "", g.Constant([1f, 1f, 8f, 8f], 4)],
            OnnxAttribute.Str("mode", "nearest"),
            OnnxAttribute.Str("coordinate_transformation_mode", "asymmetric"),
            OnnxAttribute.Str("nearest_mode", "floor"));
        g.Output("sample", up, OrtElementType.Float, "batch", 3L, "image_height", "image_width");
        return g.ToModelBytes();
    }

    public static byte[] BuildEncoder()
    {
        var g = new OnnxGraphBuilder("oracle_vae_encoder");
        var x = g.Input("sample", OrtElementType.Float, "batch", 3L, "image_height", "image_width");
        var pooled = g.Op("AveragePool", [x], OnnxAttribute.IntList("kernel_shape", 8, 8), OnnxAttribute.IntList("strides", 8, 8));
        var weight = OracleLatentSpace.Encode.Select(v => v / OracleLatentSpace.VaeScalingFactor).ToArray();
        var z = g.Op("Conv", [pooled, g.Initializer("encoder.conv_out.weight", weight, 4, 3, 1, 1), g.Initializer("encoder.conv_out.bias", new float[4], 4)]);
        g.Output("latent_sample", z, OrtElementType.Float, "batch", 4L, "height", "width");
        return g.ToModelBytes();
    }
}
