// Written here because the registry copy has no counter-based RNG: Philox4x32-10 (Salmon et al., SC'11, the
// generator behind Random123 and cuRAND's philox) plus the Box-Muller transform.
namespace SdApi.Engine.Schedulers;

/// <summary>
/// A seeded, platform-independent Gaussian random stream shared by the pipeline (initial latents, img2img noise)
/// and the stochastic schedulers (ancestral, SDE, churn). Value number <c>i</c> of the stream depends only on
/// (<c>seed</c>, <c>stream</c>, <c>i</c>), never on how the values were requested in chunks: block <c>k</c> of
/// Philox4x32-10 (counter = k, key = seed) gives two 53-bit uniforms, which Box-Muller turns into values
/// <c>2k</c> and <c>2k+1</c>. Latents are filled in flat NCHW order.
/// </summary>
public sealed class DeterministicRandom
{
    private const uint M0 = 0xD2511F53, M1 = 0xCD9E8D57, W0 = 0x9E3779B9, W1 = 0xBB67AE85;

    private readonly uint _key0, _key1, _stream0, _stream1;
    private ulong _position;
    private ulong _cachedBlock = ulong.MaxValue;
    private double _cached0, _cached1;

    /// <param name="seed">The request's seed.</param>
    /// <param name="stream">Selects an independent stream for the same seed (default 0).</param>
    public DeterministicRandom(ulong seed, ulong stream = 0)
    {
        Seed = seed;
        _key0 = (uint)seed;
        _key1 = (uint)(seed >> 32);
        _stream0 = (uint)stream;
        _stream1 = (uint)(stream >> 32);
    }

    public ulong Seed { get; }

    /// <summary>How many Gaussian values have been drawn so far.</summary>
    public ulong Position => _position;

    /// <summary>Fills <paramref name="destination"/> with standard normal values N(0, 1).</summary>
    public void NextGaussian(Span<float> destination)
    {
        var i = 0;
        // odd start: finish the current pair one value at a time
        for (; i < destination.Length && (_position & 1) != 0; i++)
        {
            destination[i] = (float)NextGaussian();
        }

        // whole pairs straight from their block (the same values NextGaussian() gives, without its per-value cache check)
        for (; i + 1 < destination.Length; i += 2)
        {
            var (g0, g1) = Pair(_position >> 1);
            destination[i] = (float)g0;
            destination[i + 1] = (float)g1;
            _position += 2;
        }

        for (; i < destination.Length; i++)
        {
            destination[i] = (float)NextGaussian();
        }
    }

    /// <summary>A new array of <paramref name="count"/> standard normal values.</summary>
    public float[] NextGaussian(int count)
    {
        var result = new float[count];
        NextGaussian(result);
        return result;
    }

    /// <summary>One standard normal value.</summary>
    public double NextGaussian()
    {
        var block = _position >> 1;
        if (block != _cachedBlock)
        {
            (_cached0, _cached1) = Pair(block);
            _cachedBlock = block;
        }

        var value = (_position & 1) == 0 ? _cached0 : _cached1;
        _position++;
        return value;
    }

    /// <summary>Values 2k and 2k+1 of the stream: Box-Muller on block k's two uniforms.</summary>
    private (double, double) Pair(ulong block)
    {
        var r = Philox4x32_10(new(block), _key0, _key1, _stream0, _stream1);
        // Two uniforms in the open interval (0, 1), 53 bits each.
        var u1 = ToOpenUnit(r.X, r.Y);
        var u2 = ToOpenUnit(r.Z, r.W);
        var radius = Math.Sqrt(-2.0 * Math.Log(u1));
        var theta = 2.0 * Math.PI * u2;
        // SinCos: one argument reduction for both (glibc gives the same bits as Cos and Sin; checked on 5M angles)
        var (sin, cos) = Math.SinCos(theta);
        return (radius * cos, radius * sin);
    }

    private static double ToOpenUnit(uint hi, uint lo)
    {
        ulong bits = ((ulong)(hi >> 5) << 26) | (lo >> 6); // 27 + 26 = 53 bits
        return (bits + 0.5) / 9007199254740992.0;          // 2^53
    }

    private readonly record struct Block(ulong Counter);

    /// <summary>Philox4x32 with 10 rounds; counter words (c0..c3) = (block low, block high, stream low, stream high).</summary>
    public static (uint X, uint Y, uint Z, uint W) Philox4x32_10(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1)
    {
        for (var round = 0; round < 10; round++)
        {
            if (round > 0)
            {
                k0 += W0;
                k1 += W1;
            }

            ulong p0 = (ulong)M0 * c0;
            ulong p1 = (ulong)M1 * c2;
            var n0 = (uint)(p1 >> 32) ^ c1 ^ k0;
            var n1 = (uint)p1;
            var n2 = (uint)(p0 >> 32) ^ c3 ^ k1;
            var n3 = (uint)p0;
            c0 = n0;
            c1 = n1;
            c2 = n2;
            c3 = n3;
        }

        return (c0, c1, c2, c3);
    }

    private static (uint X, uint Y, uint Z, uint W) Philox4x32_10(Block b, uint k0, uint k1, uint s0, uint s1) =>
        Philox4x32_10((uint)b.Counter, (uint)(b.Counter >> 32), s0, s1, k0, k1);
}
