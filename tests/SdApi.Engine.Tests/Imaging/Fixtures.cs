using SdApi.Engine.Imaging;
using SdApi.Tests.Shared;

namespace SdApi.Engine.Tests.Imaging;

/// <summary>Reads the committed image fixtures (made by Fixtures/make_fixtures.py).</summary>
internal static class Fixtures
{
    public static byte[] Read(string name) =>
        File.ReadAllBytes(RepoPaths.Combine("tests", "SdApi.Engine.Tests", "Imaging", "Fixtures", name));

    /// <summary>Binary PPM (P6) or PGM (P5), 8-bit, as RGB.</summary>
    public static RgbImage ReadPnm(string name)
    {
        var data = Read(name);
        var pos = 0;
        string Token()
        {
            while (char.IsWhiteSpace((char)data[pos])) pos++;
            var start = pos;
            while (!char.IsWhiteSpace((char)data[pos])) pos++;
            return System.Text.Encoding.ASCII.GetString(data, start, pos - start);
        }
        var magic = Token();
        int w = int.Parse(Token(), System.Globalization.CultureInfo.InvariantCulture);
        int h = int.Parse(Token(), System.Globalization.CultureInfo.InvariantCulture);
        Token();
        pos++;
        var channels = magic == "P6" ? 3 : 1;
        var pixels = new byte[w * h * 3];
        for (var i = 0; i < w * h; i++)
            for (var c = 0; c < 3; c++)
                pixels[i * 3 + c] = data[pos + i * channels + (channels == 3 ? c : 0)];
        return new RgbImage(w, h, 3, pixels);
    }

    /// <summary>A deterministic test image with varied content.</summary>
    public static RgbImage Pattern(int width, int height, int channels)
    {
        var pixels = new byte[width * height * channels];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                for (var c = 0; c < channels; c++)
                    pixels[(y * width + x) * channels + c] = (byte)((x * 37 + y * 91 + c * 53 + x * y) % 256);
        return new RgbImage(width, height, channels, pixels);
    }
}
