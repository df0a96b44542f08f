// A tiny built-in 5x7 bitmap font, written here because no font rasteriser is available to the engine.
using SdApi.Engine.Imaging;

namespace SdApi.Engine.Safety;

/// <summary>Draws text with a 5x7 pixel font: A-Z, 0-9, space and <c>. - !</c>. Lower-case letters are drawn as
/// capitals; other characters as a filled box. Each glyph cell is 6x8 (one column/row of spacing).</summary>
public static class BitmapFont
{
    public const int GlyphWidth = 5;
    public const int GlyphHeight = 7;
    public const int CellWidth = 6;
    public const int CellHeight = 8;

    private static readonly Dictionary<char, byte[]> Glyphs = new()
    {
        ['A'] = [0b01110, 0b10001, 0b10001, 0b11111, 0b10001, 0b10001, 0b10001],
        ['B'] = [0b11110, 0b10001, 0b10001, 0b11110, 0b10001, 0b10001, 0b11110],
        ['C'] = [0b01110, 0b10001, 0b10000, 0b10000, 0b10000, 0b10001, 0b01110],
        ['D'] = [0b11110, 0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b11110],
        ['E'] = [0b11111, 0b10000, 0b10000, 0b11110, 0b10000, 0b10000, 0b11111],
        ['F'] = [0b11111, 0b10000, 0b10000, 0b11110, 0b10000, 0b10000, 0b10000],
        ['G'] = [0b01110, 0b10001, 0b10000, 0b10111, 0b10001, 0b10001, 0b01111],
        ['H'] = [0b10001, 0b10001, 0b10001, 0b11111, 0b10001, 0b10001, 0b10001],
        ['I'] = [0b01110, 0b00100, 0b00100, 0b00100, 0b00100, 0b00100, 0b01110],
        ['J'] = [0b00111, 0b00010, 0b00010, 0b00010, 0b00010, 0b10010, 0b01100],
        ['K'] = [0b10001, 0b10010, 0b10100, 0b11000, 0b10100, 0b10010, 0b10001],
        ['L'] = [0b10000, 0b10000, 0b10000, 0b10000, 0b10000, 0b10000, 0b11111],
        ['M'] = [0b10001, 0b11011, 0b10101, 0b10101, 0b10001, 0b10001, 0b10001],
        ['N'] = [0b10001, 0b10001, 0b11001, 0b10101, 0b10011, 0b10001, 0b10001],
        ['O'] = [0b01110, 0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b01110],
        ['P'] = [0b11110, 0b10001, 0b10001, 0b11110, 0b10000, 0b10000, 0b10000],
        ['Q'] = [0b01110, 0b10001, 0b10001, 0b10001, 0b10101, 0b10010, 0b01101],
        ['R'] = [0b11110, 0b10001, 0b10001, 0b11110, 0b10100, 0b10010, 0b10001],
        ['S'] = [0b01111, 0b10000, 0b10000, 0b01110, 0b00001, 0b00001, 0b11110],
        ['T'] = [0b11111, 0b00100, 0b00100, 0b00100, 0b00100, 0b00100, 0b00100],
        ['U'] = [0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b01110],
        ['V'] = [0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b01010, 0b00100],
        ['W'] = [0b10001, 0b10001, 0b10001, 0b10101, 0b10101, 0b10101, 0b01010],
        ['X'] = [0b10001, 0b10001, 0b01010, 0b00100, 0b01010, 0b10001, 0b10001],
        ['Y'] = [0b10001, 0b10001, 0b10001, 0b01010, 0b00100, 0b00100, 0b00100],
        ['Z'] = [0b11111, 0b00001, 0b00010, 0b00100, 0b01000, 0b10000, 0b11111],
        ['0'] = [0b01110, 0b10001, 0b10011, 0b10101, 0b11001, 0b10001, 0b01110],
        ['1'] = [0b00100, 0b01100, 0b00100, 0b00100, 0b00100, 0b00100, 0b01110],
        ['2'] = [0b01110, 0b10001, 0b00001, 0b00010, 0b00100, 0b01000, 0b11111],
        ['3'] = [0b11111, 0b00010, 0b00100, 0b00010, 0b00001, 0b10001, 0b01110],
        ['4'] = [0b00010, 0b00110, 0b01010, 0b10010, 0b11111, 0b00010, 0b00010],
        ['5'] = [0b11111, 0b10000, 0b11110, 0b00001, 0b00001, 0b10001, 0b01110],
        ['6'] = [0b00110, 0b01000, 0b10000, 0b11110, 0b10001, 0b10001, 0b01110],
        ['7'] = [0b11111, 0b00001, 0b00010, 0b00100, 0b01000, 0b01000, 0b01000],
        ['8'] = [0b01110, 0b10001, 0b10001, 0b01110, 0b10001, 0b10001, 0b01110],
        ['9'] = [0b01110, 0b10001, 0b10001, 0b01111, 0b00001, 0b00010, 0b01100],
        [' '] = [0, 0, 0, 0, 0, 0, 0],
        ['.'] = [0, 0, 0, 0, 0, 0b01100, 0b01100],
        ['-'] = [0, 0, 0, 0b11111, 0, 0, 0],
        ['!'] = [0b00100, 0b00100, 0b00100, 0b00100, 0b00100, 0, 0b00100],
    };

    private static readonly byte[] Unknown = [0b11111, 0b11111, 0b11111, 0b11111, 0b11111, 0b11111, 0b11111];

    /// <summary>Whether pixel (x, y) of the glyph for <paramref name="c"/> is set (x in 0..4, y in 0..6).</summary>
    public static bool IsSet(char c, int x, int y) =>
        (Glyph(c)[y] & (1 << (GlyphWidth - 1 - x))) != 0;

    /// <summary>Size in pixels of <paramref name="text"/> drawn at <paramref name="scale"/> (no trailing spacing).</summary>
    public static (int Width, int Height) Measure(string text, int scale) =>
        text.Length == 0 ? (0, 0) : ((text.Length * CellWidth - 1) * scale, GlyphHeight * scale);

    /// <summary>Draws <paramref name="text"/> with its top-left corner at (x, y), each font pixel a scale x scale
    /// square of the given colour; pixels outside the image are skipped.</summary>
    public static void Draw(RgbImage image, string text, int x, int y, int scale, (byte R, byte G, byte B) colour)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        for (var i = 0; i < text.Length; i++)
            for (var gy = 0; gy < GlyphHeight; gy++)
                for (var gx = 0; gx < GlyphWidth; gx++)
                {
                    if (!IsSet(text[i], gx, gy))
                        continue;
                    var left = x + (i * CellWidth + gx) * scale;
                    var top = y + gy * scale;
                    for (var py = Math.Max(0, top); py < Math.Min(image.Height, top + scale); py++)
                        for (var px = Math.Max(0, left); px < Math.Min(image.Width, left + scale); px++)
                            image.SetRgb(px, py, colour.R, colour.G, colour.B);
                }
    }

    private static byte[] Glyph(char c) => Glyphs.GetValueOrDefault(char.ToUpperInvariant(c), Unknown);
}
