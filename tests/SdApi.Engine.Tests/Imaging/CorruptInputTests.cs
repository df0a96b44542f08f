using SdApi.Engine.Imaging;

namespace SdApi.Engine.Tests.Imaging;

/// <summary>Damaged files must fail with <see cref="ImageDecodeException"/> (the server turns it into an API error),
/// never with an index or arithmetic exception. Deterministic byte flips and truncations of every fixture.</summary>
public class CorruptInputTests
{
    public static TheoryData<string> Files => new()
    {
        "baseline444.jpg", "baseline420_restart.jpg", "progressive420.jpg", "grayscale.jpg",
        "gray1.png", "palette2_trns.png", "rgb16.png", "rgba8_adam7.png",
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void Damaged_files_fail_cleanly_or_decode(string name)
    {
        var original = Fixtures.Read(name);
        var random = new Random(777);
        for (var trial = 0; trial < 200; trial++)
        {
            var data = (byte[])original.Clone();
            var flips = 1 + random.Next(4);
            for (var f = 0; f < flips; f++)
                data[random.Next(2, Math.Min(data.Length, trial % 2 == 0 ? 200 : data.Length))] = (byte)random.Next(256);
            var length = trial % 3 == 0 ? random.Next(1, data.Length) : data.Length;

            var act = () => ImageDecoder.Decode(data.AsMemory(0, length));

            try
            {
                act();
            }
            catch (ImageDecodeException)
            {
            }
            catch (Exception e)
            {
                throw new InvalidOperationException($"{name}, trial {trial}: {e.GetType().Name}: {e.Message}", e);
            }
        }
    }
}
