namespace SdApi.Engine.Models.BuiltIn;

/// <summary>
/// The built-in oracle model's meaning space: which hidden-size dimension of a prompt embedding carries what.
/// A prompt's embedding summed over its tokens is a "scene": foreground colour (sum and count of colour words),
/// shape weights (sum and count of shape words) and a background tint.
/// </summary>
public static class OracleFeatures
{
    public const int HiddenSize = 32;
    public const int Foreground = 0;      // 0..2: sum of colour words' RGB (values in [-1, 1])
    public const int ColourCount = 3;     // number of colour words
    public const int ShapeWeights = 4;    // 4..9: one per shape in Shapes
    public const int ShapeCount = 10;     // number of shape words
    public const int Background = 11;     // 11..13: background tint, squashed with tanh

    /// <summary>The shapes the UNet draws, in feature order.</summary>
    public static IReadOnlyList<string> Shapes { get; } = ["circle", "square", "triangle", "stripes", "diamond", "ring"];

    /// <summary>Foreground colour when the prompt names no colour (RGB in [-1, 1]).</summary>
    public static IReadOnlyList<float> DefaultForeground { get; } = [0.9f, 0.9f, 0.9f];
    /// <summary>Background before the tint.</summary>
    public static IReadOnlyList<float> BaseBackground { get; } = [-0.35f, -0.35f, -0.3f];

    public static IReadOnlyDictionary<string, float[]> Colours { get; } = new Dictionary<string, float[]>(StringComparer.Ordinal)
    {
        ["red"] = [0.9f, -0.8f, -0.8f],
        ["green"] = [-0.8f, 0.8f, -0.8f],
        ["blue"] = [-0.8f, -0.6f, 0.9f],
        ["yellow"] = [0.9f, 0.8f, -0.8f],
        ["orange"] = [0.9f, 0.1f, -0.9f],
        ["purple"] = [0.3f, -0.8f, 0.7f],
        ["pink"] = [0.9f, 0.2f, 0.5f],
        ["white"] = [0.95f, 0.95f, 0.95f],
        ["black"] = [-0.95f, -0.95f, -0.95f],
        ["gray"] = [0f, 0f, 0f],
        ["grey"] = [0f, 0f, 0f],
        ["cyan"] = [-0.8f, 0.8f, 0.9f],
        ["magenta"] = [0.9f, -0.8f, 0.9f],
        ["brown"] = [0.2f, -0.4f, -0.7f],
        ["gold"] = [0.8f, 0.5f, -0.7f],
    };

    /// <summary>Shape words and the shape each draws.</summary>
    public static IReadOnlyDictionary<string, int> ShapeWords { get; } = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["circle"] = 0, ["round"] = 0, ["ball"] = 0, ["sun"] = 0, ["moon"] = 0,
        ["square"] = 1, ["box"] = 1, ["cube"] = 1,
        ["triangle"] = 2, ["pyramid"] = 2, ["mountain"] = 2,
        ["stripes"] = 3, ["striped"] = 3, ["lines"] = 3,
        ["diamond"] = 4, ["rhombus"] = 4,
        ["ring"] = 5, ["donut"] = 5,
    };

    /// <summary>Background words: a raw tint added before tanh.</summary>
    public static IReadOnlyDictionary<string, float[]> BackgroundWords { get; } = new Dictionary<string, float[]>(StringComparer.Ordinal)
    {
        ["night"] = [-0.5f, -0.5f, -0.2f],
        ["sky"] = [0.1f, 0.5f, 1.2f],
        ["sunset"] = [1.1f, 0.3f, -0.1f],
        ["grass"] = [-0.1f, 0.9f, -0.2f],
        ["forest"] = [-0.2f, 0.5f, -0.2f],
        ["snow"] = [1.2f, 1.2f, 1.3f],
        ["ocean"] = [-0.1f, 0.3f, 1.0f],
        ["sea"] = [-0.1f, 0.3f, 1.0f],
        ["desert"] = [1.0f, 0.7f, 0.2f],
        ["detailed"] = [0.15f, 0.1f, 0.05f],
        ["masterpiece"] = [0.1f, 0.05f, 0.15f],
    };

    /// <summary>Every whole word the tokenizer knows (anything else is spelled in byte symbols).</summary>
    public static IEnumerable<string> Words =>
        Colours.Keys.Concat(ShapeWords.Keys).Concat(BackgroundWords.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);

    /// <summary>The feature vector of one token; byte-symbol tokens carry a small deterministic background tint.</summary>
    public static float[] TokenFeatures(string token)
    {
        var f = new float[HiddenSize];
        if (token.StartsWith("<|", StringComparison.Ordinal)) return f;
        var word = token.EndsWith("</w>", StringComparison.Ordinal) ? token[..^4] : token;
        if (Colours.TryGetValue(word, out var rgb))
        {
            for (var c = 0; c < 3; c++) f[Foreground + c] = rgb[c];
            f[ColourCount] = 1;
        }
        else if (ShapeWords.TryGetValue(word, out var shape))
        {
            f[ShapeWeights + shape] = 1;
            f[ShapeCount] = 1;
        }
        else if (BackgroundWords.TryGetValue(word, out var tint))
        {
            for (var c = 0; c < 3; c++) f[Background + c] = tint[c];
        }
        else
        {
            var hash = Fnv1a(token);
            for (var c = 0; c < 3; c++)
                f[Background + c] = ((hash >> (8 * c)) & 0xFF) / 255f * 0.16f - 0.08f;
        }
        return f;
    }

    private static uint Fnv1a(string text)
    {
        var hash = 2166136261u;
        foreach (var ch in text) hash = (hash ^ ch) * 16777619u;
        return hash;
    }
}
