namespace SdApi.Engine.Lora;

/// <summary>How a weight initializer stores a Linear/Conv weight.</summary>
public enum LoraWeightLayout
{
    /// <summary>[out, in] or [out, in, kh, kw]: PyTorch Linear, Gemm with transB=1, Conv.</summary>
    OutIn,

    /// <summary>[in, out]: the right-hand operand of an ONNX MatMul (torch exports Linear as x @ W^T with W^T stored).</summary>
    InOut,
}

/// <summary>One adapter target to merge with its user strength (the API's <c>lora_strength</c>).</summary>
public readonly record struct ScaledLoraTarget(LoraTarget Target, float Strength);

/// <summary>The merge <c>W' = W + sum_i s_i * (alpha_i / rank_i) * (up_i @ down_i)</c>, the delta transposed for
/// <see cref="LoraWeightLayout.InOut"/> weights.</summary>
public static class LoraMerge
{
    /// <summary><c>up @ down</c> as [out, in] (no scale applied).</summary>
    public static float[] Delta(LoraTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        int o = target.OutFeatures, n = target.InFeatures, r = target.Rank;
        var delta = new float[o * n];
        for (var i = 0; i < o; i++)
            for (var k = 0; k < r; k++)
            {
                var u = target.Up[i * r + k];
                if (u == 0)
                    continue;
                var downRow = target.Down.AsSpan(k * n, n);
                var row = delta.AsSpan(i * n, n);
                for (var j = 0; j < n; j++)
                    row[j] += u * downRow[j];
            }
        return delta;
    }

    /// <summary>Adds <c>strength * alpha / rank * up @ down</c> to <paramref name="weight"/> in place.
    /// <paramref name="shape"/> is the initializer's shape, checked against the target.</summary>
    public static void AddTo(Span<float> weight, IReadOnlyList<long> shape, LoraTarget target, float strength, LoraWeightLayout layout)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(target);
        CheckShape(weight.Length, shape, target, layout);
        if (strength == 0)
            return;
        var scale = strength * target.Scale;
        var delta = Delta(target);
        int o = target.OutFeatures, n = target.InFeatures;
        if (layout == LoraWeightLayout.OutIn)
        {
            for (var i = 0; i < delta.Length; i++)
                weight[i] += scale * delta[i];
            return;
        }
        for (var i = 0; i < o; i++)
            for (var j = 0; j < n; j++)
                weight[j * o + i] += scale * delta[i * n + j];
    }

    /// <summary>A merged copy of <paramref name="weight"/> with every adapter target added.</summary>
    public static float[] Merge(ReadOnlySpan<float> weight, IReadOnlyList<long> shape, IEnumerable<ScaledLoraTarget> targets, LoraWeightLayout layout)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var merged = weight.ToArray();
        foreach (var (target, strength) in targets)
            AddTo(merged, shape, target, strength, layout);
        return merged;
    }

    private static void CheckShape(int length, IReadOnlyList<long> shape, LoraTarget t, LoraWeightLayout layout)
    {
        var count = shape.Aggregate(1L, (a, b) => a * b);
        var ok = count == length && count == (long)t.OutFeatures * t.InFeatures && shape.Count >= 2 && layout switch
        {
            LoraWeightLayout.OutIn => shape[0] == t.OutFeatures,
            _ => shape.Count == 2 && shape[0] == t.InFeatures && shape[1] == t.OutFeatures,
        };
        if (!ok)
            throw new ArgumentException(
                $"LoRA target '{t.Name}' (out {t.OutFeatures}, in {t.InFeatures}) does not fit a {layout} weight of shape [{string.Join(',', shape)}] ({length} values).",
                nameof(shape));
    }
}
