using System.Text.RegularExpressions;
using SdApi.Tests.Shared;

namespace SdApi.Spec.Tests.Support;

/// <summary>Reads the "Body Attributes" / "Attributes" table of each documentation page in ../shared (the seeds
/// and reference/modelslab-docs), whatever flavour of text the page was saved as.</summary>
public static partial class PageAttributes
{
    public static string SharedDir => Path.GetFullPath(Path.Combine(RepoPaths.Root, "..", "shared"));

    /// <summary>Page file name -> operations whose request schema documents that page's attributes.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Pages = new Dictionary<string, string[]>
    {
        ["seeds/000_4195d587c848e2d8.txt"] = ["v4Text2Img"],
        ["seeds/001_99c2d29038708047.txt"] = ["v4Text2Img"],
        ["seeds/002_a6582d0fbd242b77.txt"] = ["v4Text2Img"],
        ["seeds/003_cdbc91a1ee6ba687.txt"] = ["v4Img2Img"],
        ["seeds/004_903b5bb51d41f6f3.txt"] = ["v6Text2Img"],
        ["reference/modelslab-docs/dreamboothtext2img.mdx"] = ["v6Text2Img"],
        ["reference/modelslab-docs/dreamboothlora.mdx"] = ["v6Text2Img"],
        ["reference/modelslab-docs/dreamboothloramulti.mdx"] = ["v6Text2Img"],
        ["reference/modelslab-docs/dreamboothimg2img.mdx"] = ["v6Img2Img"],
        ["reference/modelslab-docs/dreamboothinpainting.mdx"] = ["v6Inpaint"],
        ["reference/modelslab-docs/dreamboothfetchqueimg.mdx"] = ["v4Fetch", "v6Fetch"],
        ["reference/modelslab-docs/dreamboothreloadmodel.mdx"] = ["v4ModelReload", "v6ModelReload"],
    };

    [GeneratedRegex(@"^\|\s*\*\*(?<name>[a-z0-9_\\]+)\*\*\s*\|")]
    private static partial Regex MarkdownRow();       // | **model\_id** | ... |

    [GeneratedRegex(@"^(?<name>[a-z0-9_]+) \| ")]
    private static partial Regex PipeRow();           // model_id | ... |

    [GeneratedRegex(@"^(?<name>[a-z][a-z0-9_]*?)(?=[A-Z])")]
    private static partial Regex GluedRow();          // model_idThe ID of the model ...

    public static IReadOnlyList<string> Read(string page) => Read(page, Vocabulary.Value).Select(r => r.Name).ToList();

    /// <summary>Each attribute row of the page: the attribute name and the row's whole text.</summary>
    public static IReadOnlyList<(string Name, string Row)> ReadRows(string page) => Read(page, Vocabulary.Value);

    /// <summary>Names read from the pages whose tables have separators (markdown or pipes).</summary>
    private static readonly Lazy<HashSet<string>> Vocabulary = new(() =>
        Pages.Keys.SelectMany(p => Read(p, null)).Select(r => r.Name).ToHashSet(StringComparer.Ordinal));

    private static List<(string Name, string Row)> Read(string page, HashSet<string>? vocabulary)
    {
        var lines = File.ReadAllLines(Path.Combine(SharedDir, page));
        var start = Array.FindIndex(lines, l => l.TrimStart('#', ' ').StartsWith("Body Attributes", StringComparison.Ordinal)
                                                || l.TrimStart('#', ' ').StartsWith("Attributes", StringComparison.Ordinal));
        if (start < 0)
            throw new InvalidOperationException($"{page} has no attributes section");
        var names = new List<(string Name, string Row)>();
        foreach (var line in lines.Skip(start + 1))
        {
            var trimmed = line.Trim();
            if (names.Count > 0 && (trimmed.StartsWith('#') || trimmed.StartsWith("Schedulers", StringComparison.Ordinal)
                                    || trimmed.StartsWith("Multi_lingual", StringComparison.Ordinal) || trimmed.StartsWith("tip", StringComparison.Ordinal)
                                    || trimmed.StartsWith("Example", StringComparison.Ordinal) || trimmed.StartsWith('[') || trimmed.StartsWith('<')))
                break;
            var m = MarkdownRow().Match(trimmed);
            if (!m.Success) m = PipeRow().Match(trimmed);
            if (vocabulary is null && !m.Success)
                continue;
            if (m.Success)
            {
                names.Add((m.Groups["name"].Value.Replace("\\", "", StringComparison.Ordinal), trimmed));
                continue;
            }
            if (trimmed.StartsWith("Parameter", StringComparison.Ordinal) || trimmed.StartsWith('|') || trimmed.Length == 0)
                continue;
            // Text saved without cell separators: the name runs into its description. A description starting in
            // lower case ("vaeuse custom vae") has no visible boundary, so names the table-formatted pages use are tried first.
            var known = vocabulary?.Where(v => trimmed.StartsWith(v, StringComparison.Ordinal)).MaxBy(v => v.Length);
            if (known is not null)
                names.Add((known, trimmed));
            else if (GluedRow().Match(trimmed) is { Success: true } glued)
                names.Add((glued.Groups["name"].Value, trimmed));
        }
        return names;
    }
}
