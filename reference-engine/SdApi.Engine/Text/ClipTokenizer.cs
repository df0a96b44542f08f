// Written here because the local package registry has no CLIP BPE tokenizer (Microsoft.ML.Tokenizers is unavailable).
using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SdApi.Engine.Text;

/// <summary>CLIP's BPE tokenizer, as in openai/CLIP and Hugging Face's CLIPTokenizer: HTML-unescape, collapse
/// whitespace, lower-case, split with CLIP's pattern, byte-encode each piece, apply merges with <c>&lt;/w&gt;</c>
/// marking a word's end. (ftfy's mojibake repair is not reproduced.) Thread-safe.</summary>
public sealed partial class ClipTokenizer
{
    public const string StartOfText = "<|startoftext|>";
    public const string EndOfText = "<|endoftext|>";
    public const int DefaultMaxLength = 77;

    private readonly IReadOnlyDictionary<string, int> _vocab;
    private readonly Dictionary<(string, string), int> _ranks = [];
    private readonly ConcurrentDictionary<string, int[]> _cache = new(StringComparer.Ordinal);
    private readonly Lazy<Dictionary<int, string>> _tokensById;

    /// <param name="vocab">token -> id (vocab.json)</param>
    /// <param name="merges">merge pairs in priority order (merges.txt without its #version line)</param>
    /// <param name="padToken">the token used for padding; CLIP for SD 1.x pads with <c>&lt;|endoftext|&gt;</c>, SD 2.x with <c>!</c></param>
    public ClipTokenizer(IReadOnlyDictionary<string, int> vocab, IEnumerable<(string Left, string Right)> merges, string padToken = EndOfText)
    {
        ArgumentNullException.ThrowIfNull(vocab);
        ArgumentNullException.ThrowIfNull(merges);
        _vocab = vocab;
        foreach (var pair in merges)
            _ranks.TryAdd(pair, _ranks.Count);
        BosId = IdOf(StartOfText);
        EosId = IdOf(EndOfText);
        PadId = IdOf(padToken);
        _tokensById = new(() => _vocab.ToDictionary(kv => kv.Value, kv => kv.Key));
    }

    public int BosId { get; }
    public int EosId { get; }
    public int PadId { get; }
    public int VocabSize => _vocab.Count;

    /// <summary>Reads a diffusers <c>tokenizer/</c> folder: vocab.json, merges.txt and, when present, the pad token from
    /// special_tokens_map.json or tokenizer_config.json.</summary>
    public static ClipTokenizer FromFolder(string folder)
    {
        var vocab = JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(Path.Combine(folder, "vocab.json")))
            ?? throw new InvalidDataException($"{folder}/vocab.json is empty.");
        var merges = ParseMerges(File.ReadAllLines(Path.Combine(folder, "merges.txt")));
        var pad = ReadPadToken(Path.Combine(folder, "special_tokens_map.json")) ?? ReadPadToken(Path.Combine(folder, "tokenizer_config.json")) ?? EndOfText;
        return new ClipTokenizer(vocab, merges, pad);
    }

    /// <summary>Parses merges.txt lines ("left right"), skipping the <c>#version</c> header and blank lines.</summary>
    public static IEnumerable<(string Left, string Right)> ParseMerges(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        foreach (var line in lines)
        {
            if (line.StartsWith("#version", StringComparison.Ordinal) || string.IsNullOrWhiteSpace(line))
                continue;
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0)
                yield return (line[..space], line[(space + 1)..]);
        }
    }

    /// <summary>Token ids of <paramref name="text"/> without start/end tokens or padding.</summary>
    public IReadOnlyList<int> Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>();
        foreach (Match piece in Pattern().Matches(Clean(text)))
            ids.AddRange(_cache.GetOrAdd(piece.Value, Bpe));
        return ids;
    }

    /// <summary>The text encoder's input: start token, the text's tokens cut to <c>maxLength - 2</c>, end token,
    /// then <see cref="PadId"/> up to <paramref name="maxLength"/>.</summary>
    public int[] EncodeForModel(string text, int maxLength = DefaultMaxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 2);
        var tokens = Encode(text);
        var ids = new int[maxLength];
        Array.Fill(ids, PadId);
        ids[0] = BosId;
        var n = Math.Min(tokens.Count, maxLength - 2);
        for (var i = 0; i < n; i++)
            ids[i + 1] = tokens[i];
        ids[n + 1] = EosId;
        return ids;
    }

    /// <summary>Like <see cref="EncodeForModel"/>, with A1111 emphasis (see <see cref="PromptAttention"/>): each
    /// fragment is tokenized on its own and every token carries its fragment's weight; start, end and padding
    /// tokens weigh 1. The text encoder sees the ids; the pipeline may scale the hidden states by the weights.</summary>
    public (int[] Ids, float[] Weights) EncodeWeighted(string prompt, int maxLength = DefaultMaxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 2);
        var ids = new int[maxLength];
        var weights = new float[maxLength];
        Array.Fill(ids, PadId);
        Array.Fill(weights, 1f);
        ids[0] = BosId;
        var n = 0;
        foreach (var fragment in PromptAttention.Parse(prompt))
            foreach (var id in Encode(fragment.Text))
            {
                if (n == maxLength - 2)
                    break;
                n++;
                ids[n] = id;
                weights[n] = (float)fragment.Weight;
            }
        ids[n + 1] = EosId;
        return (ids, weights);
    }

    /// <summary>The BPE pieces (vocabulary strings) of <paramref name="text"/>, for inspection and tests.</summary>
    public IReadOnlyList<string> Tokenize(string text)
    {
        return [.. Encode(text).Select(id => _tokensById.Value[id])];
    }

    /// <summary>CLIP's clean-up: HTML-unescape (twice, as CLIP does), collapse whitespace, trim, lower-case.</summary>
    public static string Clean(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var unescaped = WebUtility.HtmlDecode(WebUtility.HtmlDecode(text));
        return Whitespace().Replace(unescaped, " ").Trim().ToLowerInvariant();
    }

    private int[] Bpe(string piece)
    {
        if (piece is StartOfText or EndOfText)
            return [IdOf(piece)];
        var word = BytePairMerge.Apply(piece, _ranks);
        // Pieces missing from a small vocabulary become the unknown token, which CLIP sets to <|endoftext|>.
        return [.. word.Select(p => _vocab.TryGetValue(p, out var id) ? id : EosId)];
    }

    private int IdOf(string token) =>
        _vocab.TryGetValue(token, out var id) ? id : throw new InvalidDataException($"Token '{token}' is not in the vocabulary.");

    private static string? ReadPadToken(string path)
    {
        if (!File.Exists(path))
            return null;
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        if (!doc.RootElement.TryGetProperty("pad_token", out var pad))
            return null;
        return pad.ValueKind switch
        {
            JsonValueKind.String => pad.GetString(),
            JsonValueKind.Object when pad.TryGetProperty("content", out var content) => content.GetString(),
            _ => null,
        };
    }

    [GeneratedRegex(@"<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+", RegexOptions.IgnoreCase)]
    private static partial Regex Pattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
