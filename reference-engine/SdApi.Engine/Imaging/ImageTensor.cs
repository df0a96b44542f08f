namespace SdApi.Engine.Imaging;

/// <summary>Conversions between 8-bit images and the float NCHW tensors the VAE reads and writes.</summary>
public static class ImageTensor
{
    /// <summary>RGB in [-1, 1], shape [1, 3, H, W] (alpha ignored): <c>v = byte / 127.5 - 1</c>.</summary>
    public static float[] ToNchw(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var plane = image.Width * image.Height;
        var result = new float[3 * plane];
        for (var p = 0; p < plane; p++)
        {
            var s = p * image.Channels;
            for (var c = 0; c < 3; c++)
                result[c * plane + p] = image.Pixels[s + c] / 127.5f - 1f;
        }
        return result;
    }

    /// <summary>Reads image <paramref name="batchIndex"/> of an [N, 3, H, W] tensor in [-1, 1] back to RGB bytes
    /// (clamped, rounded to nearest: <c>byte = round((v + 1) * 127.5)</c>).</summary>
    public static RgbImage FromNchw(ReadOnlySpan<float> tensor, int width, int height, int batchIndex = 0)
    {
        var plane = width * height;
        var offset = batchIndex * 3 * plane;
        if (tensor.Length < offset + 3 * plane)
            throw new ArgumentException($"Tensor of {tensor.Length} floats has no image {batchIndex} of 3x{height}x{width}.", nameof(tensor));
        var pixels = new byte[3 * plane];
        for (var p = 0; p < plane; p++)
            for (var c = 0; c < 3; c++)
                pixels[p * 3 + c] = ToByte(tensor[offset + c * plane + p]);
        return new RgbImage(width, height, 3, pixels);
    }

    /// <summary>A mask in [0, 1], shape [1, 1, H, W], from the image's luminance (white = 1 = repaint).</summary>
    public static float[] ToMask(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var plane = image.Width * image.Height;
        var result = new float[plane];
        for (var p = 0; p < plane; p++)
        {
            var s = p * image.Channels;
            // ITU-R BT.601 luma, as PIL's convert("L") uses.
            var luma = (image.Pixels[s] * 299 + image.Pixels[s + 1] * 587 + image.Pixels[s + 2] * 114) / 1000f;
            result[p] = luma / 255f;
        }
        return result;
    }

    private static byte ToByte(float v)
    {
        var scaled = (v + 1f) * 127.5f;
        if (!(scaled > 0f))
            return 0; // also NaN
        return scaled >= 255f ? (byte)255 : (byte)MathF.Round(scaled, MidpointRounding.AwayFromZero);
    }
}
