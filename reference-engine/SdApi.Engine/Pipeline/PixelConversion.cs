using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SdApi.Engine.Pipeline;

/// <summary>
/// The VAE's float output (NCHW planes in [-1, 1]) to interleaved 8-bit RGB in one pass: diffusers' postprocessing
/// <c>round(clamp(x / 2 + 0.5, 0, 1) * 255)</c> (round half to even, as <see cref="VaeCodec.ToByte"/>), 16 pixels at a
/// time with an SSSE3 byte shuffle for the interleave; other CPUs and the tail take the scalar path.
/// </summary>
internal static class PixelConversion
{
    public static void PlanesToRgb(ReadOnlySpan<float> red, ReadOnlySpan<float> green, ReadOnlySpan<float> blue, Span<byte> rgb)
    {
        var count = red.Length;
        var i = 0;
        if (Ssse3.IsSupported && Vector256.IsHardwareAccelerated)
        {
            for (; i + 16 <= count; i += 16)
            {
                var (r, g, b) = (ToBytes(red.Slice(i, 16)), ToBytes(green.Slice(i, 16)), ToBytes(blue.Slice(i, 16)));
                var target = rgb.Slice(i * 3, 48);
                (Ssse3.Shuffle(r, R0) | Ssse3.Shuffle(g, G0) | Ssse3.Shuffle(b, B0)).CopyTo(target);
                (Ssse3.Shuffle(r, R1) | Ssse3.Shuffle(g, G1) | Ssse3.Shuffle(b, B1)).CopyTo(target[16..]);
                (Ssse3.Shuffle(r, R2) | Ssse3.Shuffle(g, G2) | Ssse3.Shuffle(b, B2)).CopyTo(target[32..]);
            }
        }
        for (; i < count; i++)
        {
            rgb[i * 3] = VaeCodec.ToByte(red[i]);
            rgb[i * 3 + 1] = VaeCodec.ToByte(green[i]);
            rgb[i * 3 + 2] = VaeCodec.ToByte(blue[i]);
        }
    }

    /// <summary>16 floats to 16 bytes with the same float operations as <see cref="VaeCodec.ToByte"/>.</summary>
    private static Vector128<byte> ToBytes(ReadOnlySpan<float> values)
    {
        var low = Convert(Vector256.Create(values[..8]));
        var high = Convert(Vector256.Create(values.Slice(8, 8)));
        var shorts = Vector256.Narrow(low, high).AsUInt16();
        return Vector128.Narrow(shorts.GetLower(), shorts.GetUpper());
    }

    private static Vector256<int> Convert(Vector256<float> x)
    {
        var unit = Vector256.Min(Vector256.Max(x * 0.5f + Vector256.Create(0.5f), Vector256<float>.Zero), Vector256<float>.One);
        return Vector256.ConvertToInt32(Vector256.Round(unit * 255f));
    }

    // pshufb masks: output byte j of block k is channel (16k + j) % 3 of pixel (16k + j) / 3; 0x80 writes zero.
    private static readonly Vector128<byte> R0 = Mask(0, 0), G0 = Mask(0, 1), B0 = Mask(0, 2);
    private static readonly Vector128<byte> R1 = Mask(1, 0), G1 = Mask(1, 1), B1 = Mask(1, 2);
    private static readonly Vector128<byte> R2 = Mask(2, 0), G2 = Mask(2, 1), B2 = Mask(2, 2);

    private static Vector128<byte> Mask(int block, int channel)
    {
        Span<byte> mask = stackalloc byte[16];
        for (var j = 0; j < 16; j++)
        {
            var p = block * 16 + j;
            mask[j] = p % 3 == channel ? (byte)(p / 3) : (byte)0x80;
        }
        return Vector128.Create<byte>(mask);
    }
}
