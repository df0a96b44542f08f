namespace SdApi.Engine.Safety;

/// <summary>The documented word list behind the reference safety checker. A pixel classifier (the real API runs
/// one on each image) is out of scope for the reference engine, so "unsafe" is decided from the prompt text only.
/// Matching is on whole words, case-insensitive, also with a plural "s"/"es" added (see <see cref="SafetyChecker"/>).</summary>
public static class NsfwWordList
{
    public static IReadOnlySet<string> Words { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "nsfw", "nude", "nudes", "nudity", "naked", "topless", "bottomless", "porn", "porno", "pornographic",
        "pornography", "sex", "sexual", "sexy", "explicit", "erotic", "erotica", "hentai", "xxx", "lewd",
        "genitals", "genitalia", "penis", "vagina", "nipple", "breasts", "boobs", "orgasm", "fetish", "bdsm",
        "lingerie", "undressed", "stripper", "gore", "gory", "dismembered", "decapitated", "beheaded",
    };
}
