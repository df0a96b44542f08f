namespace SdApi.Engine.Imaging;

/// <summary>MultiDiffusion-style panorama helpers on float [C, H, W] planes (latents): the window grid, cropping
/// a window, and an accumulator that averages overlapping window results (optionally with feathered weights).</summary>
public static class PanoramaWindows
{
    /// <summary>Top-left corners of windows of size <paramref name="window"/> stepped by <paramref name="stride"/>
    /// covering a width x height plane; the last row/column is pinned to the far edge so every cell is covered.</summary>
    public static IReadOnlyList<(int X, int Y)> Grid(int width, int height, int window, int stride)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        var xs = Starts(width, Math.Min(window, width), stride);
        var ys = Starts(height, Math.Min(window, height), stride);
        return [.. ys.SelectMany(y => xs.Select(x => (x, y)))];
    }

    private static List<int> Starts(int size, int window, int stride)
    {
        var starts = new List<int>();
        for (var s = 0; ; s += stride)
        {
            if (s + window >= size)
            {
                starts.Add(size - window);
                return [.. starts.Distinct()];
            }
            starts.Add(s);
        }
    }

    /// <summary>Copies the window [x, x+w) x [y, y+h) of every channel of a [C, H, W] plane into a new [C, h, w] array.</summary>
    public static float[] Crop(ReadOnlySpan<float> planes, int channels, int height, int width, int x, int y, int w, int h)
    {
        if (x < 0 || y < 0 || x + w > width || y + h > height || planes.Length < channels * height * width)
            throw new ArgumentOutOfRangeException(nameof(x), $"Window {w}x{h} at ({x},{y}) is outside the {width}x{height} plane.");
        var result = new float[channels * h * w];
        for (var c = 0; c < channels; c++)
            for (var row = 0; row < h; row++)
                planes.Slice(c * height * width + (y + row) * width + x, w).CopyTo(result.AsSpan(c * h * w + row * w, w));
        return result;
    }

    /// <summary>Linear ramp weights for a w x h window: 1 in the middle, falling towards each edge over
    /// <paramref name="feather"/> cells (never reaching 0, so a cell covered by one window keeps its value).</summary>
    public static float[] FeatherWeights(int w, int h, int feather)
    {
        var weights = new float[w * h];
        for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++)
            {
                var edge = Math.Min(Math.Min(x, w - 1 - x), Math.Min(y, h - 1 - y));
                weights[y * w + x] = feather <= 0 ? 1f : Math.Min(1f, (edge + 1f) / (feather + 1f));
            }
        return weights;
    }
}

/// <summary>Sums weighted window results into a [C, H, W] plane and divides by the total weight per cell.</summary>
public sealed class WindowAccumulator
{
    private readonly float[] _sum;
    private readonly float[] _weight;

    public WindowAccumulator(int channels, int height, int width)
    {
        Channels = channels;
        Height = height;
        Width = width;
        _sum = new float[channels * height * width];
        _weight = new float[height * width];
    }

    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }

    /// <summary>Adds a [C, h, w] window at (x, y), each cell times <paramref name="weights"/> (length w*h; null = 1).</summary>
    public void Add(ReadOnlySpan<float> window, int x, int y, int w, int h, ReadOnlySpan<float> weights = default)
    {
        if (x < 0 || y < 0 || x + w > Width || y + h > Height || window.Length < Channels * w * h)
            throw new ArgumentOutOfRangeException(nameof(x), $"Window {w}x{h} at ({x},{y}) is outside the {Width}x{Height} plane.");
        for (var row = 0; row < h; row++)
            for (var col = 0; col < w; col++)
            {
                var wt = weights.IsEmpty ? 1f : weights[row * w + col];
                var cell = (y + row) * Width + x + col;
                _weight[cell] += wt;
                for (var c = 0; c < Channels; c++)
                    _sum[c * Height * Width + cell] += wt * window[c * h * w + row * w + col];
            }
    }

    /// <summary>The weighted average; cells no window touched are 0.</summary>
    public float[] Result()
    {
        var result = new float[_sum.Length];
        var plane = Height * Width;
        for (var c = 0; c < Channels; c++)
            for (var cell = 0; cell < plane; cell++)
                result[c * plane + cell] = _weight[cell] > 0 ? _sum[c * plane + cell] / _weight[cell] : 0f;
        return result;
    }
}
