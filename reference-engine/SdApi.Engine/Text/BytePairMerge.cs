namespace SdApi.Engine.Text;

/// <summary>The BPE step shared by the tokenizer and the built-in vocabulary builder: byte-encode a piece, mark its
/// last symbol with <c>&lt;/w&gt;</c>, then repeatedly merge every occurrence of the best-ranked adjacent pair.</summary>
internal static class BytePairMerge
{
    public static List<string> Apply(string piece, IReadOnlyDictionary<(string, string), int> ranks)
    {
        var word = ClipByteEncoder.Encode(piece).Select(c => c.ToString()).ToList();
        if (word.Count == 0)
            return word;
        word[^1] += "</w>";
        while (word.Count > 1)
        {
            var best = -1;
            var bestRank = int.MaxValue;
            for (var i = 0; i < word.Count - 1; i++)
                if (ranks.TryGetValue((word[i], word[i + 1]), out var rank) && rank < bestRank)
                    (best, bestRank) = (i, rank);
            if (best < 0)
                break;
            var (left, right) = (word[best], word[best + 1]);
            var merged = new List<string>(word.Count);
            for (var i = 0; i < word.Count; i++)
            {
                if (i < word.Count - 1 && word[i] == left && word[i + 1] == right)
                {
                    merged.Add(left + right);
                    i++;
                }
                else
                {
                    merged.Add(word[i]);
                }
            }
            word = merged;
        }
        return word;
    }
}
