using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Text.Json;

namespace SdApi.Engine.Imaging;

/// <summary>The AUTOMATIC1111 "parameters" text that image viewers and web UIs read from a PNG:
/// <code>
/// prompt
/// Negative prompt: negative
/// Steps: 30, Sampler: UniPCMultistepScheduler, CFG scale: 7.5, Seed: 1, Size: 512x512, Model: sd-1.5
/// </code>
/// Values containing ',', ':' or a newline are written as JSON strings, as A1111 does.</summary>
public static class A1111Parameters
{
    public const string Keyword = "parameters";

    /// <summary>API request field names and the A1111 label each becomes; other fields keep their own name.</summary>
    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["num_inference_steps"] = "Steps",
        ["steps"] = "Steps",
        ["scheduler"] = "Sampler",
        ["guidance_scale"] = "CFG scale",
        ["seed"] = "Seed",
        ["model_id"] = "Model",
        ["strength"] = "Denoising strength",
        ["clip_skip"] = "Clip skip",
        ["lora_model"] = "Lora",
        ["lora_strength"] = "Lora strength",
    };

    /// <summary>Formats prompt, negative prompt and the settings line, settings in the given order.</summary>
    public static string Format(string prompt, string? negativePrompt, IEnumerable<KeyValuePair<string, string>> settings)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(settings);
        var text = new StringBuilder(prompt);
        if (!string.IsNullOrEmpty(negativePrompt))
            text.Append("\nNegative prompt: ").Append(negativePrompt);
        var line = string.Join(", ", settings.Select(s => $"{s.Key}: {Quote(s.Value)}"));
        if (line.Length > 0)
            text.Append('\n').Append(line);
        return text.ToString();
    }

    /// <summary>Formats from API request fields (<c>prompt</c>, <c>negative_prompt</c>, <c>width</c>+<c>height</c>
    /// as <c>Size</c>, known fields relabelled as A1111 does, the rest under their own names), in the given order.
    /// Null or empty values are left out.</summary>
    public static string FromApiFields(IEnumerable<KeyValuePair<string, string?>> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var all = fields.Where(f => !string.IsNullOrEmpty(f.Value)).ToList();
        string? Get(string name) => all.FirstOrDefault(f => f.Key == name).Value;
        var settings = new List<KeyValuePair<string, string>>();
        foreach (var (key, value) in all)
        {
            if (key is "prompt" or "negative_prompt" or "height")
                continue;
            if (key == "width")
            {
                settings.Add(new("Size", $"{value}x{Get("height") ?? value}"));
                continue;
            }
            settings.Add(new(Labels.GetValueOrDefault(key, key), value!));
        }
        return Format(Get("prompt") ?? "", Get("negative_prompt"), settings);
    }

    /// <summary>Reads text written by <see cref="Format"/> back: prompt, negative prompt and settings in order.</summary>
    public static (string Prompt, string? NegativePrompt, IReadOnlyList<KeyValuePair<string, string>> Settings) Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Split('\n').ToList();
        var settings = new List<KeyValuePair<string, string>>();
        if (lines.Count > 1 && LooksLikeSettings(lines[^1]))
        {
            settings = ParseSettings(lines[^1]);
            lines.RemoveAt(lines.Count - 1);
        }
        string? negative = null;
        var negativeAt = lines.FindIndex(l => l.StartsWith("Negative prompt: ", StringComparison.Ordinal));
        if (negativeAt >= 0)
        {
            negative = string.Join('\n', lines.Skip(negativeAt))["Negative prompt: ".Length..];
            lines.RemoveRange(negativeAt, lines.Count - negativeAt);
        }
        return (string.Join('\n', lines), negative, settings);
    }

    private static bool LooksLikeSettings(string line) =>
        Regex.IsMatch(line, @"^[^:,\n]+: ");

    private static List<KeyValuePair<string, string>> ParseSettings(string line)
    {
        var result = new List<KeyValuePair<string, string>>();
        var pos = 0;
        while (pos < line.Length)
        {
            var colon = line.IndexOf(": ", pos, StringComparison.Ordinal);
            if (colon < 0)
                break;
            var key = line[pos..colon];
            var valueStart = colon + 2;
            var end = valueStart < line.Length && line[valueStart] == '"'
                ? ClosingQuote(line, valueStart) + 1
                : IndexOrEnd(line, ", ", valueStart);
            var raw = line[valueStart..end];
            var value = raw.StartsWith('"') ? JsonSerializer.Deserialize<string>(raw) ?? "" : raw;
            pos = end;
            result.Add(new(key, value));
            if (line.AsSpan(pos).StartsWith(", "))
                pos += 2;
        }
        return result;
    }

    private static int IndexOrEnd(string text, string value, int start)
    {
        var i = text.IndexOf(value, start, StringComparison.Ordinal);
        return i < 0 ? text.Length : i;
    }

    /// <summary>Index of the quote closing the JSON string that opens at <paramref name="open"/> (backslash escapes skipped).</summary>
    private static int ClosingQuote(string text, int open)
    {
        for (var i = open + 1; i < text.Length; i++)
        {
            if (text[i] == '\\')
                i++;
            else if (text[i] == '"')
                return i;
        }
        throw new FormatException("Unterminated quoted value in A1111 parameters.");
    }

    private static string Quote(string value) =>
        value.IndexOfAny([',', ':', '\n']) < 0
            ? value
            : JsonSerializer.Serialize(value, QuoteOptions);

    private static readonly JsonSerializerOptions QuoteOptions = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Invariant text for numbers in settings (so 7.5 never becomes "7,5").</summary>
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
