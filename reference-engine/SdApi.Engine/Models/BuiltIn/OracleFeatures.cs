namespace SdApi.Engine.Models.BuiltIn;

/// <summary>
/// The built-in oracle model's meaning space: which hidden-size dimension of a prompt embedding carries what.
/// A prompt's embedding summed over its tokens is a "scene": foreground colour (sum and count of colour words),
/// shape weights (sum and count of shape words), a background tint, and the ground colour (colour words the text
/// encoder routed to the ground, see <see cref="OracleTextEncoder"/>). Two marker dimensions (ground noun,
/// preposition) let the text encoder decide, per colour word, whether it colours the shape or the ground.
/// </summary>
public static class OracleFeatures
{
    public const int HiddenSize = 32;
    public const int Foreground = 0;      // 0..2: sum of colour words' RGB (values in [-1, 1])
    public const int ColourCount = 3;     // number of colour words
    public const int ShapeWeights = 4;    // 4..9: one per shape in Shapes
    public const int ShapeCount = 10;     // number of shape words
    public const int Background = 11;     // 11..13: background tint, squashed with tanh
    public const int GroundColour = 14;   // 14..16: sum of the ground's colour words' RGB (moved here by the text encoder)
    public const int GroundColourCount = 17; // number of colour words routed to the ground
    public const int GroundNoun = 18;     // marker: a word naming the ground ("background", "grass", "sky", ...)
    public const int Preposition = 19;    // marker: "on", "against", ... (a colour after it with no noun following colours the ground)

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

    /// <summary>Nouns that name the ground: a colour word whose next noun is one of these colours the ground.</summary>
    public static IReadOnlySet<string> GroundNouns { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "background", "backdrop", "ground", "floor", "wall", "field", "water",
        "grass", "sky", "sea", "ocean", "desert", "snow", "forest", "night", "sunset",
    };

    /// <summary>Words after which a colour with no noun following it colours the ground ("a red circle on blue").</summary>
    public static IReadOnlySet<string> Prepositions { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "on", "against", "over", "above", "under", "below",
    };

    /// <summary>Every whole word the tokenizer knows (anything else is spelled in byte symbols).</summary>
    public static IEnumerable<string> Words =>
        Colours.Keys.Concat(ShapeWords.Keys).Concat(BackgroundWords.Keys).Concat(GroundNouns).Concat(Prepositions).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);

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
        else if (BackgroundWords.TryGetValue(word, out var tint) || GroundNouns.Contains(word) || Prepositions.Contains(word))
        {
            if (tint is not null) for (var c = 0; c < 3; c++) f[Background + c] = tint[c];
            if (GroundNouns.Contains(word)) f[GroundNoun] = 1;
            if (Prepositions.Contains(word)) f[Preposition] = 1;
        }
        else
        {
            var hash = Fnv1a(token);
            for (var c = 0; c < 3; c++)
                f[Background + c] = ((hash >> (8 * c)) & 0xFF) / 255f * 0.16f - 0.08f;
        }
        return f;
    }

    /// <summary>
    /// The text encoder's composition step, in plain C# (<see cref="OracleTextEncoder"/> computes it with ONNX
    /// operators): each colour word whose next noun names the ground, or which follows a preposition with no noun
    /// after it, moves its colour to the ground dimensions. <paramref name="tokens"/> are per-token feature vectors in
    /// sequence order; they are changed in place.
    /// </summary>
    public static void RouteColours(IReadOnlyList<float[]> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var toGround = new bool[tokens.Count];
        for (var i = 0; i < tokens.Count; i++)
        {
            int nextShape = int.MaxValue, nextGround = int.MaxValue;
            for (var j = tokens.Count - 1; j > i; j--)
            {
                if (tokens[j][ShapeCount] > 0) nextShape = j;
                if (tokens[j][GroundNoun] > 0) nextGround = j;
            }
            var prepositionBefore = false;
            for (var j = 0; j < i; j++) prepositionBefore |= tokens[j][Preposition] > 0;
            toGround[i] = nextGround < nextShape || (nextGround == int.MaxValue && nextShape == int.MaxValue && prepositionBefore);
        }
        for (var i = 0; i < tokens.Count; i++)
        {
            if (!toGround[i]) continue;
            for (var c = 0; c < 4; c++)
            {
                tokens[i][GroundColour + c] += tokens[i][Foreground + c];
                tokens[i][Foreground + c] = 0;
            }
        }
    }

    private static uint Fnv1a(string text)
    {
        var hash = 2166136261u;
        foreach (var ch in text) hash = (hash ^ ch) * 16777619u;
        return hash;
    }
}
