namespace SdApi.Cli.Tests.Diff;

/// <summary>The table in DiffCases/SPECMATIC.md: per case, the sdapi diff verdict, Specmatic's verdict, and why they
/// differ where they do. Rows look like <c>| case | breaking | compatible | no | reason |</c>.</summary>
internal sealed record AgreementRow(string Case, bool SdApiBreaking, bool SpecmaticBreaking, bool Agree, string Reason)
{
    public static string Path => System.IO.Path.Combine(DiffCaseFiles.CasesDirectory, "SPECMATIC.md");

    public static IReadOnlyDictionary<string, AgreementRow> Load()
    {
        var rows = new Dictionary<string, AgreementRow>(StringComparer.Ordinal);
        foreach (var line in File.ReadAllLines(Path))
        {
            var cells = line.Trim().Trim('|').Split('|').Select(c => c.Trim().Trim('`')).ToArray();
            if (!line.TrimStart().StartsWith('|') || cells.Length < 5 || cells[0] is "case" || cells[0].StartsWith('-'))
                continue;
            rows[cells[0]] = new AgreementRow(cells[0], Breaking(cells[1]), Breaking(cells[2]), cells[3] == "yes", cells[4]);
        }
        return rows;
    }

    /// <summary>"breaking" for sdapi, "incompatible" for Specmatic; anything else is the not-breaking verdict.</summary>
    private static bool Breaking(string cell) => cell is "breaking" or "incompatible";

    public string ToMarkdown() =>
        $"| `{Case}` | {(SdApiBreaking ? "breaking" : "safe")} | {(SpecmaticBreaking ? "incompatible" : "compatible")} | {(Agree ? "yes" : "no")} | {Reason} |";
}
