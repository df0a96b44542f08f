using System.Numerics.Tensors;
using SdApi.Engine.Ort;

namespace SdApi.Engine.Pipeline;

/// <summary>Latents to pixels and back through the VAE sessions, with SD's latent scaling factor.</summary>
internal static class VaeCodec
{
    public const float ScalingFactor = 0.18215f;

    /// <summary>Decodes [n, c, h, w] scaled latents into n RGB byte images (8h x 8w, or whatever the decoder's upsampling gives).</summary>
    public static (byte[][] Images, int Width, int Height) Decode(OrtInferenceSession decoder, float[] latents, int n, int channels, int h, int w)
    {
        using var input = OrtTensor.FromFloats(latents, n, channels, h, w);
        TensorPrimitives.Divide(input.AsSpan<float>(), ScalingFactor, input.AsSpan<float>()); // unscale in the tensor's own buffer
        var outputs = decoder.Run([new("latent_sample", input)], ["sample"]);
        using var sample = outputs[0];
        var (height, width) = ((int)sample.Shape[2], (int)sample.Shape[3]);
        var pixels = sample.AsSpan<float>();
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
    public static float[] Encode(OrtInferenceSession encoder, byte[] rgb, int width, int height)
    {
        var plane = width * height;
        var input = new float[3 * plane];
        for (var i = 0; i < plane; i++)
            for (var c = 0; c < 3; c++)
                input[c * plane + i] = rgb[i * 3 + c] / 127.5f - 1f;
        using var tensor = OrtTensor.FromFloats(input, 1, 3, height, width);
        var outputs = encoder.Run([new("sample", tensor)], ["latent_sample"]);
        using var latent = outputs[0];
        var values = latent.ToFloats();
        for (var i = 0; i < values.Length; i++) values[i] *= ScalingFactor;
        return values;
    }

    /// <summary>diffusers' postprocessing: (x / 2 + 0.5) clamped to [0, 1], times 255, rounded.</summary>
    public static byte ToByte(float x) => (byte)Math.Round(Math.Clamp(x * 0.5f + 0.5f, 0f, 1f) * 255f);
}
