using System.Text.RegularExpressions;
using SdApi.Spec.Tests.Support;

namespace SdApi.Spec.Tests;

/// <summary>spec/rules.md quotes its sources verbatim: every <c>file: "words"</c> citation (rule rows and Conflicts)
/// names a document of ../shared by file name, and the words are a substring of it (markdown escapes, <c>**</c> and
/// whitespace normalised, see <see cref="DocText"/>). The tables are whole (no blank line splits them).</summary>
public partial class RulesQuoteTests
{
    /// <summary><c>file: "words"</c>; inside the words <c>\"</c>, <c>\|</c> and <c>\\</c> are escapes of the markdown table.</summary>
    [GeneratedRegex(@"(?<file>[A-Za-z0-9_.-]+\.(?:txt|mdx|md|json)): ""(?<quote>(?:[^""\\]|\\.)*)""")]
    private static partial Regex Citation();

    [GeneratedRegex(@"\\([""|\\])")]
    private static partial Regex CellEscape();

    private static IEnumerable<(string File, string Quote, string Line)> Citations() =>
        from line in SpecFiles.RulesMarkdown.Split('\n')
        from Match m in Citation().Matches(line)
        select (m.Groups["file"].Value, CellEscape().Replace(m.Groups["quote"].Value, "$1"), line);

    public static TheoryData<string, string> Quotes()
    {
        var data = new TheoryData<string, string>();
        foreach (var (file, quote, _) in Citations().DistinctBy(c => (c.File, c.Quote))) data.Add(file, quote);
        return data;
    }

    [Theory]
    [MemberData(nameof(Quotes))]
    public void Quote_is_verbatim_in_its_cited_document(string file, string quote)
    {
        var text = DocText.Text(file);
        text.Should().NotBeNull($"{file} is one of the source documents ({string.Join(", ", DocText.Names)})");
        text.Should().Contain(DocText.Normalise(quote), $"rules.md quotes {file}");
    }

    [Fact]
    public void There_are_as_many_citations_as_the_table_needs()
    {
        Citations().Count().Should().BeGreaterThan(300, "every rule row and most Conflicts rows quote a page");
    }

    [Fact]
    public void Every_rule_row_quotes_at_least_one_document_in_its_source_cell()
    {
        foreach (var row in SpecFiles.RulesMarkdown.Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal)))
        {
            var cells = row.Split(" | ");
            Citation().IsMatch(cells[4]).Should().BeTrue($"the source cell of {cells[0]} quotes a file: {cells[4]}");
        }
    }

    [Fact]
    public void Sources_are_cited_by_file_name_only()
    {
        SpecFiles.RulesMarkdown.Should().NotContainAny("/work/", "../shared", "shared/seeds", "reference/modelslab-docs");
    }

    [Fact]
    public void Tables_are_not_split_by_blank_lines_and_conflicts_are_numbered_in_order()
    {
        var lines = SpecFiles.RulesMarkdown.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        for (var i = 1; i < lines.Length; i++)
        {
            // A row that starts a block (after a non-table line) must be a table header; otherwise the block is
            // detached from its table (the old break above Conflicts #20).
            if (lines[i].StartsWith('|') && !lines[i - 1].StartsWith('|'))
                (i + 1 < lines.Length && lines[i + 1].StartsWith("|---", StringComparison.Ordinal)).Should().BeTrue($"line {i + 1} starts a table without a header: {lines[i]}");
        }
        var numbers = lines.SkipWhile(l => !l.StartsWith("## Conflicts", StringComparison.Ordinal))
            .Select(l => Regex.Match(l, @"^\| (\d+) \|")).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        numbers.Should().Equal(Enumerable.Range(1, numbers.Count));
    }

    [Fact]
    public void Conflicts_name_every_disagreement_of_issue_10()
    {
        var conflicts = SpecFiles.RulesMarkdown[SpecFiles.RulesMarkdown.IndexOf("## Conflicts", StringComparison.Ordinal)..];
        foreach (var topic in new[] { "`ip_adapter_id` lists", "`model_id` required", "Webhook scheme", "Flux limits", "Vendor defaults",
                     "LoRA pairing", "Step field name", "HTTP status", "`enhance_style`", "413", "Title case" })
            conflicts.Should().Contain(topic);
    }
}
