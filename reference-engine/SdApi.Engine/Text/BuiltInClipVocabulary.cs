using System.Text.Encodings.Web;
using System.Text.Json;

namespace SdApi.Engine.Text;

/// <summary>A small CLIP-format vocabulary for the engine's built-in model: CLIP's 512 byte tokens (so any text
/// tokenizes), one whole-word token for each word in <see cref="Words"/>, then <c>&lt;|startoftext|&gt;</c> and
/// <c>&lt;|endoftext|&gt;</c>, laid out exactly like CLIP's own vocab.json/merges.txt. Built deterministically.</summary>
public static class BuiltInClipVocabulary
{
    /// <summary>Words that get their own token: colours, shapes and common prompt words.</summary>
    public static IReadOnlyList<string> Words { get; } =
    [
        // colours
        "red", "orange", "yellow", "green", "blue", "purple", "violet", "pink", "brown", "black", "white", "gray",
        "grey", "gold", "golden", "silver", "cyan", "magenta", "teal", "beige", "colorful", "colourful", "pastel",
        // shapes and patterns
        "circle", "square", "triangle", "rectangle", "star", "heart", "line", "lines", "stripes", "striped", "dot",
        "dots", "ring", "cube", "sphere", "cross", "spiral", "wave", "waves", "grid", "checkerboard", "gradient",
        "shape", "shapes", "pattern", "round",
        // function words
        "a", "an", "the", "of", "in", "on", "with", "and", "at", "by", "for", "from", "under", "over", "near", "is",
        // subjects and scenes
        "photo", "photograph", "painting", "drawing", "portrait", "landscape", "city", "street", "cat", "dog", "bird",
        "horse", "person", "people", "woman", "man", "girl", "boy", "child", "tree", "trees", "forest", "mountain",
        "mountains", "sky", "sea", "ocean", "river", "lake", "beach", "house", "castle", "car", "flower", "flowers",
        "garden", "sun", "moon", "stars", "night", "day", "sunset", "sunrise", "cloud", "clouds", "snow", "rain",
        "water", "fire", "light", "dark", "bench", "table", "room", "window", "robot", "dragon", "space", "planet",
        // style and quality
        "bright", "big", "small", "large", "tiny", "high", "low", "quality", "detailed", "realistic", "ultra",
        "resolution", "hd", "art", "style", "digital", "anime", "cinematic", "lighting", "background", "beautiful",
        "soft", "sharp", "focus", "masterpiece", "best", "oil", "watercolor", "sketch", "render", "concept",
        "fantasy", "abstract", "minimal", "simple", "vibrant",
        // common negative-prompt words
        "ugly", "blurry", "bad", "anatomy", "hands", "face", "eyes", "hair", "extra", "fingers", "deformed",
        "distorted", "poorly", "drawn", "worst", "text", "watermark", "noise", "grainy", "cropped",
    ];

    /// <summary>The vocabulary (token -> id) and merges, in CLIP's order.</summary>
    public static (IReadOnlyDictionary<string, int> Vocab, IReadOnlyList<(string Left, string Right)> Merges) Build()
    {
        var tokens = new List<string>();
        tokens.AddRange(ClipByteEncoder.CharsInVocabOrder.Select(c => c.ToString()));
        tokens.AddRange(ClipByteEncoder.CharsInVocabOrder.Select(c => c + "</w>"));
        var known = new HashSet<string>(tokens, StringComparer.Ordinal);
        var merges = new List<(string, string)>();
        var ranks = new Dictionary<(string, string), int>();
        foreach (var word in Words.Distinct(StringComparer.Ordinal))
        {
            // Add merges (lowest priority, so earlier words keep their single token) until the word is one piece.
            for (var pieces = Split(word, ranks); pieces.Count > 1; pieces = Split(word, ranks))
            {
                var pair = (pieces[0], pieces[1]);
                ranks[pair] = merges.Count;
                merges.Add(pair);
                if (known.Add(pieces[0] + pieces[1]))
                    tokens.Add(pieces[0] + pieces[1]);
            }
        }
        tokens.Add(ClipTokenizer.StartOfText);
        tokens.Add(ClipTokenizer.EndOfText);
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var t in tokens)
            vocab[t] = vocab.Count;
        return (vocab, merges);
    }

    /// <summary>A tokenizer over the built-in vocabulary (pads with <c>&lt;|endoftext|&gt;</c>, as SD 1.x).</summary>
    public static ClipTokenizer CreateTokenizer()
    {
        var (vocab, merges) = Build();
        return new ClipTokenizer(vocab, merges);
    }

    /// <summary>Writes a diffusers-style <c>tokenizer/</c> folder: vocab.json, merges.txt, special_tokens_map.json,
    /// tokenizer_config.json. Same bytes on every run.</summary>
    public static void WriteTo(string folder)
    {
        Directory.CreateDirectory(folder);
        var (vocab, merges) = Build();
        var options = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        WriteJson(Path.Combine(folder, "vocab.json"), options, w =>
        {
            foreach (var (token, id) in vocab.OrderBy(kv => kv.Value))
                w.WriteNumber(token, id);
        });
        File.WriteAllText(Path.Combine(folder, "merges.txt"),
            "#version: 0.2\n" + string.Concat(merges.Select(m => $"{m.Left} {m.Right}\n")));
        WriteJson(Path.Combine(folder, "special_tokens_map.json"), options, w =>
        {
            w.WriteString("bos_token", ClipTokenizer.StartOfText);
            w.WriteString("eos_token", ClipTokenizer.EndOfText);
            w.WriteString("pad_token", ClipTokenizer.EndOfText);
            w.WriteString("unk_token", ClipTokenizer.EndOfText);
        });
        WriteJson(Path.Combine(folder, "tokenizer_config.json"), options, w =>
        {
            w.WriteString("tokenizer_class", "CLIPTokenizer");
            w.WriteNumber("model_max_length", ClipTokenizer.DefaultMaxLength);
            w.WriteString("pad_token", ClipTokenizer.EndOfText);
        });
    }

    private static List<string> Split(string word, Dictionary<(string, string), int> ranks) =>
        BytePairMerge.Apply(word, ranks);

    private static void WriteJson(string path, JsonWriterOptions options, Action<Utf8JsonWriter> body)
    {
        using var stream = File.Create(path);
        using var w = new Utf8JsonWriter(stream, options);
        w.WriteStartObject();
        body(w);
        w.WriteEndObject();
    }
}
