using SdApi.Bindings;

namespace SdApi.Server.Generation;

/// <summary>enhance_style: the live API appends the chosen style's words to the prompt when it enhances it. The pages
/// name the styles but not their words, so the reference server appends the style name itself as words
/// (<c>cinematic-diva</c> -> <c>", cinematic diva style"</c>): the effect is visible in <c>meta.prompt</c> and reaches the
/// engine (the built-in model paints any colour or shape word a style name holds). <c>enhance</c> is the plain
/// enhancement (enhance_prompt's own words) and adds nothing.</summary>
public static class PromptStyle
{
    public static string Apply(string prompt, EnhanceStyle? style)
    {
        if (style is not { } s || string.IsNullOrWhiteSpace(s.Value)
            || string.Equals(s.Value, EnhanceStyle.Enhance.Value, StringComparison.OrdinalIgnoreCase))
            return prompt;
        var words = s.Value.Replace('-', ' ').Replace('_', ' ').Trim();
        var suffix = ", " + words + " style";
        return prompt.TrimEnd().EndsWith(suffix.Trim(), StringComparison.OrdinalIgnoreCase) ? prompt : prompt.TrimEnd() + suffix;
    }
}
