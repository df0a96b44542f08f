namespace SdApi.Engine.Imaging;

/// <summary>Turns unfiltered PNG samples of any colour type and depth into 8-bit RGB or RGBA.</summary>
internal static class PngPixels
{
    public static RgbImage ToImage(byte[] packed, PngHeader h, byte[]? palette, byte[]? trns)
    {
        var hasAlpha = h.ColorType is 4 or 6 || trns is not null;
        var channels = hasAlpha ? 4 : 3;
        var pixels = new byte[h.Width * h.Height * channels];
        var rowBytes = h.RowBytes(h.Width);
        for (var y = 0; y < h.Height; y++)
        {
            var row = packed.AsSpan(y * rowBytes, rowBytes);
            for (var x = 0; x < h.Width; x++)
            {
                var o = (y * h.Width + x) * channels;
                byte r, g, b, a = 255;
                switch (h.ColorType)
                {
                    case 0:
                        {
                            var raw = Sample(row, x, h.BitDepth);
                            r = g = b = Scale(raw, h.BitDepth);
                            if (trns is { Length: >= 2 } && raw == (((trns[0] << 8) | trns[1]) & Mask(h.BitDepth)))
                                a = 0;
                            break;
                        }
                    case 3:
                        {
                            var index = Sample(row, x, h.BitDepth);
                            if (index * 3 + 2 >= palette!.Length)
                                throw new ImageDecodeException($"Corrupt PNG: palette index {index} out of range.");
                            r = palette[index * 3];
                            g = palette[index * 3 + 1];
                            b = palette[index * 3 + 2];
                            if (trns is not null && index < trns.Length)
                                a = trns[index];
                            break;
                        }
                    case 4:
                        r = g = b = Eight(row, x * 2, h.BitDepth);
                        a = Eight(row, x * 2 + 1, h.BitDepth);
                        break;
                    case 2:
                        {
                            r = Eight(row, x * 3, h.BitDepth);
                            g = Eight(row, x * 3 + 1, h.BitDepth);
                            b = Eight(row, x * 3 + 2, h.BitDepth);
                            if (trns is { Length: >= 6 } && Full(row, x * 3, h.BitDepth) == Pair(trns, 0)
                                && Full(row, x * 3 + 1, h.BitDepth) == Pair(trns, 2) && Full(row, x * 3 + 2, h.BitDepth) == Pair(trns, 4))
                                a = 0;
                            break;
                        }
                    default:
                        r = Eight(row, x * 4, h.BitDepth);
                        g = Eight(row, x * 4 + 1, h.BitDepth);
                        b = Eight(row, x * 4 + 2, h.BitDepth);
                        a = Eight(row, x * 4 + 3, h.BitDepth);
                        break;
                }
                pixels[o] = r;
                pixels[o + 1] = g;
                pixels[o + 2] = b;
                if (hasAlpha)
                    pixels[o + 3] = a;
            }
        }
        return new RgbImage(h.Width, h.Height, channels, pixels);
    }

    private static int Mask(int depth) => depth == 16 ? 0xFFFF : (1 << depth) - 1;

    private static int Pair(byte[] data, int i) => (data[i] << 8) | data[i + 1];

    /// <summary>Sample number <paramref name="index"/> of a row of 8- or 16-bit samples, at full precision.</summary>
    private static int Full(ReadOnlySpan<byte> row, int index, int depth) =>
        depth == 16 ? (row[index * 2] << 8) | row[index * 2 + 1] : row[index];

    /// <summary>Sample number <paramref name="index"/> of a row of 8- or 16-bit samples, as 8 bits (high byte).</summary>
    private static byte Eight(ReadOnlySpan<byte> row, int index, int depth) =>
        depth == 16 ? row[index * 2] : row[index];

    /// <summary>One grey or palette sample of 1-16 bits.</summary>
    private static int Sample(ReadOnlySpan<byte> row, int x, int depth)
    {
        switch (depth)
        {
            case 8: return row[x];
            case 16: return (row[x * 2] << 8) | row[x * 2 + 1];
            default:
                var perByte = 8 / depth;
                var shift = 8 - depth * (x % perByte + 1);
                return (row[x / perByte] >> shift) & ((1 << depth) - 1);
        }
    }

    /// <summary>Scales a grey sample of the given depth to 8 bits (16-bit keeps the high byte).</summary>
    private static byte Scale(int sample, int depth) => depth switch
    {
        16 => (byte)(sample >> 8),
        8 => (byte)sample,
        _ => (byte)(sample * 255 / ((1 << depth) - 1)),
    };
}
