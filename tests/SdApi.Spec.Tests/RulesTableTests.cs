using System.Text.RegularExpressions;
using SdApi.Spec.Tests.Support;

namespace SdApi.Spec.Tests;

/// <summary>spec/rules.md and the spec's x-sdapi-rules list the same rule ids; the Conflicts section is there.</summary>
public partial class RulesTableTests
{
    [GeneratedRegex(@"^\|\s*`(?<id>[a-z0-9-]+)`\s*\|", RegexOptions.Multiline)]
    private static partial Regex RuleRow();

    private static List<string> TableIds()
    {
        var markdown = SpecFiles.RulesMarkdown;
        var table = markdown[..markdown.IndexOf("## Conflicts", StringComparison.Ordinal)];
        return RuleRow().Matches(table).Select(m => m.Groups["id"].Value).ToList();
    }

    [Fact]
    public void Every_rule_row_has_a_rule_in_the_spec_and_vice_versa()
    {
        var specIds = SpecFiles.Rules().Select(r => (string)r.Rule["id"]!).ToList();
        var tableIds = TableIds();
        tableIds.Should().OnlyHaveUniqueItems();
        tableIds.Should().BeEquivalentTo(specIds);
    }

    [Fact]
    public void Every_rule_row_cites_a_source_and_a_decision()
    {
        var rows = SpecFiles.RulesMarkdown.Split('\n').Where(l => RuleRow().IsMatch(l)).ToList();
        rows.Should().NotBeEmpty();
        foreach (var row in rows)
        {
            var cells = row.Split(" | ");
            cells.Should().HaveCount(6, row);
            cells[4].Should().MatchRegex(@"(\.txt|\.mdx|\.md)", "the source cell names a page: {0}", row);
            cells[5].Trim(' ', '|').Should().NotBeEmpty();
        }
    }

    [Fact]
    public void Conflicts_section_decides_each_known_disagreement()
    {
        var markdown = SpecFiles.RulesMarkdown;
        markdown.Should().Contain("## Conflicts");
        var conflicts = markdown[markdown.IndexOf("## Conflicts", StringComparison.Ordinal)..];
        foreach (var topic in new[] { "/api/v4/dreambooth", "21, 31, or 41", "upscale", "256", "multiple of 8" })
            conflicts.Should().Contain(topic);
    }
}
