using System.Text.Json;
using SdApi.Engine.Text;

namespace SdApi.Engine.Models.BuiltIn;

/// <summary>
/// The built-in model's CLIP tokenizer files: the 512 byte-level symbols (plain and word-final), one merge chain per
/// known word so each spells as a single token, and the two special tokens. Other words fall back to byte symbols.
/// </summary>
public sealed class OracleTokenizerFiles
{
    private OracleTokenizerFiles(List<string> vocabulary, List<(string, string)> merges)
    {
        Vocabulary = vocabulary;
        Merges = merges;
    }

    /// <summary>Tokens in id order.</summary>
    public IReadOnlyList<string> Vocabulary { get; }
    public IReadOnlyList<(string Left, string Right)> Merges { get; }

    public static OracleTokenizerFiles Create()
    {
        var symbols = ClipByteEncoder.CharsInVocabOrder.Select(c => c.ToString()).ToList();
        var vocabulary = new List<string>(symbols);
        vocabulary.AddRange(symbols.Select(s => s + "</w>"));
        var merges = new List<(string, string)>();
        var known = new HashSet<string>(vocabulary, StringComparer.Ordinal);
        foreach (var word in OracleFeatures.Words)
        {
            // Appending merges never changes how earlier words split: BPE always applies the lowest-ranked merge.
            while (true)
            {
                var ranks = new Dictionary<(string, string), int>();
                foreach (var merge in merges) ranks.TryAdd(merge, ranks.Count);
                var pieces = BytePairMerge.Apply(word, ranks);
                if (pieces.Count == 1) break;
                merges.Add((pieces[0], pieces[1]));
                if (known.Add(pieces[0] + pieces[1])) vocabulary.Add(pieces[0] + pieces[1]);
            }
        }
        vocabulary.Add(ClipTokenizer.StartOfText);
        vocabulary.Add(ClipTokenizer.EndOfText);
        return new OracleTokenizerFiles(vocabulary, merges);
    }

    public string VocabJson()
    {
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < Vocabulary.Count; i++) map[Vocabulary[i]] = i;
        return JsonSerializer.Serialize(map);
    }

    public string MergesText() => "#version: 0.2\n" + string.Concat(Merges.Select(m => $"{m.Left} {m.Right}\n"));
}
