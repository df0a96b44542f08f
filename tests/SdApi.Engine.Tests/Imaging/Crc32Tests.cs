using System.Text;
using SdApi.Engine.Imaging;

namespace SdApi.Engine.Tests.Imaging;

public class Crc32Tests
{
    [Fact]
    public void Check_value_of_the_standard_test_string()
    {
        // the CRC-32 (ISO 3309 / PNG) check value of "123456789"
        Crc32.Compute(Encoding.ASCII.GetBytes("1234"), Encoding.ASCII.GetBytes("56789")).Should().Be(0xCBF43926u);
    }

    [Fact]
    public void Sliced_computation_matches_the_bitwise_definition_at_every_length()
    {
        var data = new byte[100];
        new Random(5).NextBytes(data);
        for (var length = 0; length <= data.Length; length++)
            for (var split = 0; split <= length; split += 7)
                Crc32.Compute(data.AsSpan(0, split), data.AsSpan(split, length - split)).Should().Be(Bitwise(data.AsSpan(0, length)), $"length {length}, split {split}");
    }

    private static uint Bitwise(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return crc ^ 0xFFFFFFFFu;
    }
}
