namespace SdApi.Engine.Safety;

/// <summary>What happens to an image the safety checker flags (the API's <c>safety_checker_type</c>;
/// documented options blur / sensitive_content_text / pixelate / black, default sensitive_content_text).</summary>
public enum SafetyCheckerType
{
    SensitiveContentText,
    Blur,
    Pixelate,
    Black,
}

public static class SafetyCheckerTypes
{
    public const SafetyCheckerType Default = SafetyCheckerType.SensitiveContentText;

    /// <summary>The wire names, in the documented order.</summary>
    public static IReadOnlyList<string> WireNames { get; } = ["blur", "sensitive_content_text", "pixelate", "black"];

    /// <summary>Parses a wire name (case-insensitive); null or empty means the default.
    /// Returns false for anything else so the caller can answer with the API's error shape.</summary>
    public static bool TryParse(string? value, out SafetyCheckerType type)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case null or "": type = Default; return true;
            case "blur": type = SafetyCheckerType.Blur; return true;
            case "sensitive_content_text": type = SafetyCheckerType.SensitiveContentText; return true;
            case "pixelate": type = SafetyCheckerType.Pixelate; return true;
            case "black": type = SafetyCheckerType.Black; return true;
            default: type = Default; return false;
        }
    }

    public static string ToWireName(this SafetyCheckerType type) => type switch
    {
        SafetyCheckerType.Blur => "blur",
        SafetyCheckerType.Pixelate => "pixelate",
        SafetyCheckerType.Black => "black",
        _ => "sensitive_content_text",
    };
}
