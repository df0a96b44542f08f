using System.Text.RegularExpressions;

namespace SdApi.Spec.Tests.Support;

/// <summary>The source documents (../shared seeds and reference) by file name, as normalised text: markdown escapes
/// (<c>\_</c>, <c>\-</c>, <c>\)</c>) and <c>**</c> removed, whitespace runs collapsed to one space. A quote of
/// spec/rules.md is verbatim when its normalised form is a substring of its file's normalised text.</summary>
public static partial class DocText
{
    private static readonly Lazy<Dictionary<string, string>> Files = new(() =>
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var dir in new[] { "seeds", "reference", Path.Combine("reference", "modelslab-docs") })
            foreach (var path in Directory.GetFiles(Path.Combine(PageAttributes.SharedDir, dir)))
                files[Path.GetFileName(path)] = Normalise(File.ReadAllText(path));
        return files;
    });

    public static IReadOnlyCollection<string> Names => Files.Value.Keys;

    /// <summary>The normalised text of a document, or null when no document has that name.</summary>
    public static string? Text(string fileName) => Files.Value.TryGetValue(fileName, out var text) ? text : null;

    public static string Normalise(string text)
    {
        text = MarkdownEscape().Replace(text, "$1").Replace("**", "", StringComparison.Ordinal);
        return Whitespace().Replace(text, " ").Trim();
    }

    /// <summary>True when <paramref name="value"/> occurs in the text as a whole token (not inside a longer name).</summary>
    public static bool HasToken(string text, string value) =>
        Regex.IsMatch(text, @"(?<![A-Za-z0-9_+\-])" + Regex.Escape(value) + @"(?![A-Za-z0-9_+\-])");

    /// <summary>File names cited in an x-source (<c>"file, section; file, section"</c>).</summary>
    public static IEnumerable<string> CitedFiles(string? xSource) =>
        xSource is null ? [] : FileName().Matches(xSource).Select(m => m.Value);

    [GeneratedRegex(@"\\([^A-Za-z0-9\s])")]
    private static partial Regex MarkdownEscape();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"[A-Za-z0-9_.-]+\.(?:txt|mdx|md|json)")]
    private static partial Regex FileName();
}
