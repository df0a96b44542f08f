using System.Numerics.Tensors;

namespace SdApi.Engine.Schedulers;

/// <summary>Element-wise latent arithmetic shared by the schedulers (vectorised with TensorPrimitives).</summary>
internal static class LatentMath
{
    /// <summary>a * x + b * y, as a new array.</summary>
    public static float[] Combine(double a, ReadOnlySpan<float> x, double b, ReadOnlySpan<float> y)
    {
        var result = GC.AllocateUninitializedArray<float>(x.Length); // fully written by the multiply below
        TensorPrimitives.Multiply(x, (float)a, result);
        TensorPrimitives.MultiplyAdd(y, (float)b, result, result);
        return result;
    }

    /// <summary>a * x + b * y + c * z, as a new array.</summary>
    public static float[] Combine(double a, ReadOnlySpan<float> x, double b, ReadOnlySpan<float> y, double c, ReadOnlySpan<float> z)
    {
        var result = Combine(a, x, b, y);
        TensorPrimitives.MultiplyAdd(z, (float)c, result, result);
        return result;
    }

    /// <summary>sum_i coef_i * vec_i, as a new array (terms with a zero coefficient are skipped).</summary>
    public static float[] Sum(params ReadOnlySpan<(double Coef, float[] Vec)> terms)
    {
        var result = new float[terms[0].Vec.Length];
        foreach (var (coef, vec) in terms)
        {
            if (coef != 0)
            {
                TensorPrimitives.MultiplyAdd(vec, (float)coef, result, result);
            }
        }

        return result;
    }

    /// <summary>destination += a * x.</summary>
    public static void AddScaled(Span<float> destination, double a, ReadOnlySpan<float> x) =>
        TensorPrimitives.MultiplyAdd(x, (float)a, destination, destination);

    /// <summary>a * x, as a new array.</summary>
    public static float[] Scale(double a, ReadOnlySpan<float> x)
    {
        var result = GC.AllocateUninitializedArray<float>(x.Length); // fully written by the multiply below
        TensorPrimitives.Multiply(x, (float)a, result);
        return result;
    }

    /// <summary>Clamps every value into [-range, range].</summary>
    public static void Clip(Span<float> values, double range) =>
        TensorPrimitives.Clamp(values, (float)-range, (float)range, values);
}
