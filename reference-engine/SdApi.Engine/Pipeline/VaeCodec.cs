using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime;
using SdApi.Engine.Ort;

namespace SdApi.Engine.Pipeline;

/// <summary>Latents to pixels and back through the VAE sessions, with SD's latent scaling factor.</summary>
internal static class VaeCodec
{
    public const float ScalingFactor = 0.18215f;

    /// <summary>Decodes [n, c, h, w] scaled latents into n RGB byte images (8h x 8w, or whatever the decoder's upsampling gives).</summary>
    public static (byte[][] Images, int Width, int Height) Decode(ModelSession decoder, float[] latents, int n, int channels, int h, int w)
    {
        using var input = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float, [n, channels, h, w]);
        TensorPrimitives.Divide(latents, ScalingFactor, input.GetTensorMutableDataAsSpan<float>()); // unscaled straight into the tensor's buffer
        using var outputs = decoder.Run(["latent_sample"], [input], ["sample"]);
        var sample = outputs[0];
        var shape = sample.GetTensorTypeAndShape().Shape;
        var (height, width) = ((int)shape[2], (int)shape[3]);
        var pixels = sample.GetTensorDataAsSpan<float>();
        var images = new byte[n][];
        var plane = height * width;
        for (var b = 0; b < n; b++)
        {
            var image = pixels.Slice(b * 3 * plane, 3 * plane);
            images[b] = PixelBufferPool.Rent(plane * 3); // back to the pool after PNG encoding (DiffusionEngine)
            PixelConversion.PlanesToRgb(image[..plane], image.Slice(plane, plane), image.Slice(2 * plane, plane), images[b]);
        }
        return (images, width, height);
    }

    /// <summary>Encodes one RGB image into scaled latents [1, c, H/8, W/8] (the encoder's sampled latent times the scaling factor).</summary>
    public static float[] Encode(ModelSession encoder, byte[] rgb, int width, int height)
    {
        var plane = width * height;
        var input = new float[3 * plane];
        for (var i = 0; i < plane; i++)
            for (var c = 0; c < 3; c++)
                input[c * plane + i] = rgb[i * 3 + c] / 127.5f - 1f;
        using var tensor = OrtValue.CreateTensorValueFromMemory(input, [1, 3, height, width]);
        using var outputs = encoder.Run(["sample"], [tensor], ["latent_sample"]);
        var values = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        for (var i = 0; i < values.Length; i++) values[i] *= ScalingFactor;
        return values;
    }

    /// <summary>diffusers' postprocessing: (x / 2 + 0.5) clamped to [0, 1], times 255, rounded.</summary>
    public static byte ToByte(float x) => (byte)Math.Round(Math.Clamp(x * 0.5f + 0.5f, 0f, 1f) * 255f);
}
