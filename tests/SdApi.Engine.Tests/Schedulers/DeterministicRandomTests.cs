using SdApi.Engine.Schedulers;

namespace SdApi.Engine.Tests.Schedulers;

public sealed class DeterministicRandomTests
{
    [Theory]
    // Random123 tests/kat_vectors, the three "philox4x32 10" lines: counter[4] key[2] -> result[4]
    [InlineData(0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u, 0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u)]
    [InlineData(0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu)]
    [InlineData(0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u, 0xa4093822u, 0x299f31d0u, 0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u)]
    public void Philox4x32_10_matches_the_random123_known_answers(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1, uint r0, uint r1, uint r2, uint r3)
    {
        DeterministicRandom.Philox4x32_10(c0, c1, c2, c3, k0, k1).Should().Be((r0, r1, r2, r3));
    }

    [Fact]
    public void The_stream_does_not_depend_on_how_it_is_read_in_chunks()
    {
        var whole = new DeterministicRandom(42).NextGaussian(9);
        var chunked = new DeterministicRandom(42);
        float[] parts = [.. chunked.NextGaussian(3), .. chunked.NextGaussian(1), .. chunked.NextGaussian(5)];
        parts.Should().Equal(whole);
        chunked.Position.Should().Be(9);
    }

    [Fact]
    public void Values_are_standard_normal()
    {
        var values = new DeterministicRandom(2024).NextGaussian(200_000);
        var mean = values.Average(v => (double)v);
        var variance = values.Average(v => (v - mean) * (v - mean));
        mean.Should().BeInRange(-0.01, 0.01);
        variance.Should().BeInRange(0.98, 1.02);
        // tail mass beyond 2 sigma is about 4.55 %
        (values.Count(v => Math.Abs(v) > 2) / 200_000.0).Should().BeInRange(0.042, 0.049);
    }

    [Fact]
    public void Seeds_and_streams_give_different_values()
    {
        var a = new DeterministicRandom(1).NextGaussian(8);
        new DeterministicRandom(2).NextGaussian(8).Should().NotEqual(a);
        new DeterministicRandom(1, stream: 1).NextGaussian(8).Should().NotEqual(a);
        new DeterministicRandom(1).NextGaussian(8).Should().Equal(a);
    }
}
