namespace SdApi.Engine.Imaging;

/// <summary>Undoes the five PNG row filters (None, Sub, Up, Average, Paeth); the encoder writes Sub and Up itself.</summary>
internal static class PngFilters
{
    /// <summary>Reverses the filter in place; <paramref name="prior"/> is the already decoded previous row (empty for the first).</summary>
    public static void Undo(int type, Span<byte> row, ReadOnlySpan<byte> prior, int bpp)
    {
        if (type > 4)
            throw new ImageDecodeException($"Corrupt PNG: unknown row filter type {type}.");
        if (type == 0)
            return;
        for (var i = 0; i < row.Length; i++)
        {
            int a = i >= bpp ? row[i - bpp] : 0;
            int b = prior.IsEmpty ? 0 : prior[i];
            int c = i >= bpp && !prior.IsEmpty ? prior[i - bpp] : 0;
            row[i] = (byte)(row[i] + Predict(type, a, b, c));
        }
    }

    private static int Predict(int type, int a, int b, int c) => type switch
    {
        0 => 0,
        1 => a,
        2 => b,
        3 => (a + b) >> 1,
        _ => Paeth(a, b, c),
    };

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var pa = Math.Abs(p - a);
        var pb = Math.Abs(p - b);
        var pc = Math.Abs(p - c);
        if (pa <= pb && pa <= pc)
            return a;
        return pb <= pc ? b : c;
    }
}
