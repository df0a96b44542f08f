namespace SdApi.Engine.Imaging;

/// <summary>PNG's Adam7 interlacing: seven passes over a sparse grid, each stored as a filtered sub-image.</summary>
internal static class Adam7
{
    private static readonly (int X0, int Y0, int Dx, int Dy)[] Passes =
        [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];

    private static (int W, int H) PassSize(PngHeader h, int pass)
    {
        var (x0, y0, dx, dy) = Passes[pass];
        return ((h.Width - x0 + dx - 1) / dx, (h.Height - y0 + dy - 1) / dy);
    }

    public static long RawSize(PngHeader h)
    {
        var total = 0L;
        for (var p = 0; p < 7; p++)
        {
            var (w, ht) = PassSize(h, p);
            if (w > 0 && ht > 0)
                total += (h.RowBytes(w) + 1L) * ht;
        }
        return total;
    }

    /// <summary>Unfilters each pass and scatters its pixels into a full packed image (rows of <c>RowBytes(Width)</c>).</summary>
    public static byte[] Deinterlace(byte[] raw, PngHeader h)
    {
        var fullRow = h.RowBytes(h.Width);
        var result = new byte[fullRow * h.Height];
        var offset = 0;
        for (var p = 0; p < 7; p++)
        {
            var (w, ht) = PassSize(h, p);
            if (w == 0 || ht == 0)
                continue;
            var pass = PngDecoder.Unfilter(raw, h, w, ht, offset);
            offset += (h.RowBytes(w) + 1) * ht;
            var (x0, y0, dx, dy) = Passes[p];
            var passRow = h.RowBytes(w);
            for (var y = 0; y < ht; y++)
                for (var x = 0; x < w; x++)
                    CopyPixel(pass, y * passRow, x, result, (y0 + y * dy) * fullRow, x0 + x * dx, h.BitsPerPixel);
        }
        return result;
    }

    private static void CopyPixel(byte[] src, int srcRow, int srcX, byte[] dst, int dstRow, int dstX, int bits)
    {
        if (bits >= 8)
        {
            var n = bits / 8;
            Array.Copy(src, srcRow + srcX * n, dst, dstRow + dstX * n, n);
            return;
        }
        var perByte = 8 / bits;
        var mask = (1 << bits) - 1;
        var sShift = 8 - bits * (srcX % perByte + 1);
        var value = (src[srcRow + srcX / perByte] >> sShift) & mask;
        var dShift = 8 - bits * (dstX % perByte + 1);
        dst[dstRow + dstX / perByte] |= (byte)(value << dShift);
    }
}
