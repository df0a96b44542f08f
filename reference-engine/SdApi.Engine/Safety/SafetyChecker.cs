using System.Text.RegularExpressions;

namespace SdApi.Engine.Safety;

/// <summary>The reference safety checker's verdict: whether the request counts as unsafe and which listed words matched.</summary>
public sealed record SafetyVerdict(bool IsUnsafe, IReadOnlyList<string> MatchedWords)
{
    public static SafetyVerdict Safe { get; } = new(false, []);
}

/// <summary>The reference safety checker. Rule (deterministic, written down so tests and clients can rely on it):
/// the positive prompt is lower-cased and split into words (runs of letters/digits); the request is unsafe when a
/// word, or that word without a trailing "s"/"es", is in <see cref="NsfwWordList.Words"/>. The negative prompt is
/// not checked (people list exactly these words there to avoid them). Images are then replaced per
/// <see cref="SafetyCheckerType"/> by <see cref="SafetyActions.Apply"/>.</summary>
public static partial class SafetyChecker
{
    public static SafetyVerdict Check(string? prompt)
    {
        if (string.IsNullOrWhiteSpace(prompt))
            return SafetyVerdict.Safe;
        var matched = new List<string>();
        foreach (Match word in WordPattern().Matches(prompt.ToLowerInvariant()))
        {
            var w = word.Value;
            var hit = NsfwWordList.Words.Contains(w) ? w
                : w.EndsWith("es", StringComparison.Ordinal) && NsfwWordList.Words.Contains(w[..^2]) ? w[..^2]
                : w.EndsWith('s') && NsfwWordList.Words.Contains(w[..^1]) ? w[..^1]
                : null;
            if (hit is not null && !matched.Contains(hit))
                matched.Add(hit);
        }
        return matched.Count == 0 ? SafetyVerdict.Safe : new SafetyVerdict(true, matched);
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex WordPattern();
}
