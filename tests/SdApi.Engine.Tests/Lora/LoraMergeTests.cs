using SdApi.Engine.Lora;

namespace SdApi.Engine.Tests.Lora;

public class LoraMergeTests
{
    private static LoraTarget Target(string name, int outF, int inF, int rank, float alpha, int seed)
    {
        var random = new Random(seed);
        float[] Values(int n) => [.. Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1))];
        return new LoraTarget(name, LoraModule.Unet, rank, inF, outF, alpha, Values(rank * inF), Values(outF * rank));
    }

    /// <summary>The textbook formula, one output element at a time.</summary>
    private static float[] NaiveMerge(float[] w, int outF, int inF, (LoraTarget T, float S)[] adapters, bool transposed)
    {
        var result = (float[])w.Clone();
        for (var o = 0; o < outF; o++)
            for (var i = 0; i < inF; i++)
            {
                double add = 0;
                foreach (var (t, s) in adapters)
                {
                    double dot = 0;
                    for (var k = 0; k < t.Rank; k++)
                        dot += t.Up[o * t.Rank + k] * t.Down[k * inF + i];
                    add += s * (t.Alpha / t.Rank) * dot;
                }
                result[transposed ? i * outF + o : o * inF + i] += (float)add;
            }
        return result;
    }

    [Theory]
    [InlineData(LoraWeightLayout.OutIn)]
    [InlineData(LoraWeightLayout.InOut)]
    public void Merge_equals_the_naive_loop(LoraWeightLayout layout)
    {
        var a = Target("t", 5, 7, 3, 1.5f, 1);
        var b = Target("t", 5, 7, 2, 8f, 2);
        var w = Target("w", 5, 7, 1, 1, 3).Down.Concat(new float[28]).ToArray(); // any 35 values
        long[] shape = layout == LoraWeightLayout.OutIn ? [5, 7] : [7, 5];

        var merged = LoraMerge.Merge(w, shape, [new(a, 0.45f), new(b, 0.55f)], layout);

        merged.Should().Equal(NaiveMerge(w, 5, 7, [(a, 0.45f), (b, 0.55f)], layout == LoraWeightLayout.InOut), (x, y) => Math.Abs(x - y) < 1e-5);
    }

    [Fact]
    public void Strength_zero_is_identity()
    {
        var w = Enumerable.Range(0, 12).Select(i => i * 0.1f).ToArray();

        LoraMerge.Merge(w, [3, 4], [new(Target("t", 3, 4, 2, 2, 5), 0f)], LoraWeightLayout.OutIn).Should().Equal(w);
    }

    [Fact]
    public void Two_adapters_add_up()
    {
        var w = new float[20];
        var a = Target("t", 4, 5, 2, 2, 7);
        var b = Target("t", 4, 5, 3, 1, 8);

        var both = LoraMerge.Merge(w, [4, 5], [new(a, 0.7f), new(b, -0.3f)], LoraWeightLayout.OutIn);
        var onlyA = LoraMerge.Merge(w, [4, 5], [new(a, 0.7f)], LoraWeightLayout.OutIn);
        var onlyB = LoraMerge.Merge(w, [4, 5], [new(b, -0.3f)], LoraWeightLayout.OutIn);

        both.Should().Equal(onlyA.Zip(onlyB, (x, y) => x + y), (x, y) => Math.Abs(x - y) < 1e-6);
    }

    [Fact]
    public void Conv_1x1_weight_takes_the_delta_as_out_in()
    {
        var t = Target("conv", 3, 2, 1, 1, 9);
        var w = new float[6];

        var merged = LoraMerge.Merge(w, [3, 2, 1, 1], [new(t, 1f)], LoraWeightLayout.OutIn);

        merged.Should().Equal(LoraMerge.Delta(t));
        // LoraMerge.Delta is the code under test too: also compare with the textbook loop.
        merged.Should().Equal(NaiveMerge(w, 3, 2, [(t, 1f)], transposed: false), (x, y) => Math.Abs(x - y) < 1e-6);
    }

    [Fact]
    public void Shape_mismatch_is_rejected()
    {
        var act = () => LoraMerge.Merge(new float[20], [5, 4], [new(Target("t", 4, 5, 2, 2, 1), 1f)], LoraWeightLayout.OutIn);

        act.Should().Throw<ArgumentException>().WithMessage("*does not fit*");
    }
}
