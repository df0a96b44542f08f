namespace SdApi.Engine.Pipeline;

/// <summary>
/// enhance_prompt: appends fixed quality words (the same for every prompt, so results stay reproducible); the
/// appended text is reported in meta. Prompts that already end with them are left alone.
/// </summary>
public static class PromptEnhancer
{
    public const string Suffix = ", masterpiece, highly detailed, sharp focus";

    public static string Enhance(string prompt) =>
        (prompt ?? "").TrimEnd().EndsWith(Suffix.Trim(), StringComparison.OrdinalIgnoreCase) ? prompt ?? "" : (prompt ?? "").TrimEnd() + Suffix;
}
