using System.Security.Cryptography;
using System.Text;

namespace SdApi.Engine.Lora;

/// <summary>The shape of one layer a synthetic LoRA should touch: kohya target name, output and (flattened) input size.</summary>
public readonly record struct LoraTargetShape(string Name, int OutFeatures, int InFeatures);

/// <summary>Builds a reproducible LoRA from an id alone, for ids the reference engine has no file for: each value
/// comes from a SplitMix64 stream seeded with the first 8 bytes of SHA-256(UTF-8 "id\ntarget"), so every id gives a
/// different delta, every run the same one (never string.GetHashCode, which changes per process).</summary>
public static class SyntheticLora
{
    /// <summary>Down is uniform in [-1, 1) / sqrt(in), up uniform in [-1, 1) * magnitude / sqrt(rank), alpha = rank,
    /// so each delta entry has a standard deviation of magnitude / (3 sqrt(in)) and the delta moves a layer's output
    /// for a unit-variance input by about magnitude / 3.</summary>
    public static LoraAdapter Create(string loraId, IEnumerable<LoraTargetShape> targets, int rank = 4, float magnitude = 0.05f)
    {
        ArgumentNullException.ThrowIfNull(loraId);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentOutOfRangeException.ThrowIfLessThan(rank, 1);
        var list = new List<LoraTarget>();
        foreach (var (name, outFeatures, inFeatures) in targets)
        {
            if (!KohyaKey.TryModule(name, out var module))
                throw new ArgumentException($"'{name}' is not a kohya target name (lora_unet_/lora_te_/lora_te2_ prefix).", nameof(targets));
            var r = Math.Min(rank, Math.Min(outFeatures, inFeatures));
            var random = new SplitMix64(Seed(loraId, name));
            var down = new float[r * inFeatures];
            var up = new float[outFeatures * r];
            var downScale = 1f / MathF.Sqrt(inFeatures);
            var upScale = magnitude / MathF.Sqrt(r);
            for (var i = 0; i < down.Length; i++)
                down[i] = random.NextSigned() * downScale;
            for (var i = 0; i < up.Length; i++)
                up[i] = random.NextSigned() * upScale;
            list.Add(new LoraTarget(name, module, r, inFeatures, outFeatures, r, down, up));
        }
        return new LoraAdapter(loraId, list);
    }

    /// <summary>The stream seed for one (id, target) pair.</summary>
    public static ulong Seed(string loraId, string target)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{loraId}\n{target}"));
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(hash);
    }

    /// <summary>SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, and the same on every platform.</summary>
    private sealed class SplitMix64(ulong seed)
    {
        private ulong _state = seed;

        public ulong Next()
        {
            var z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        /// <summary>Uniform in [-1, 1) from the top 24 bits.</summary>
        public float NextSigned() => (Next() >> 40) / (float)(1 << 23) - 1f;
    }
}
