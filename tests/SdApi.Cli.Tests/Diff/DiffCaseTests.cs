using SdApi.SpecDiff;

namespace SdApi.Cli.Tests.Diff;

/// <summary>Each spec pair gives exactly the pinned verdict and change list. Set SDAPI_UPDATE_DIFF_CASES=1 to rewrite
/// expected.json from the current output (then review the diff of those files before committing).</summary>
public sealed class DiffCaseTests
{
    public static TheoryData<string> CaseNames() => [.. DiffCaseCatalog.All.Select(c => c.Name)];

    [Fact]
    public void There_are_at_least_fifteen_cases_with_both_verdicts()
    {
        DiffCaseCatalog.All.Should().HaveCountGreaterThanOrEqualTo(15);
        DiffCaseCatalog.All.Select(c => c.Name).Should().OnlyHaveUniqueItems();
        var verdicts = DiffCaseFiles.All.Select(p => ExpectedVerdict.Load(p.ExpectedPath).Breaking).ToList();
        verdicts.Should().Contain(true).And.Contain(false);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Case_gives_the_pinned_verdict(string name)
    {
        var pair = DiffCaseFiles.Get(name);
        var report = SpecDiffer.CompareFiles(pair.OldPath, pair.NewPath);
        var actual = ExpectedVerdict.From(pair.Case, report);
        if (Environment.GetEnvironmentVariable("SDAPI_UPDATE_DIFF_CASES") == "1")
            actual.Save(pair.ExpectedPath);

        File.Exists(pair.ExpectedPath).Should().BeTrue($"DiffCases/{name}/expected.json pins this case");
        var expected = ExpectedVerdict.Load(pair.ExpectedPath);
        actual.Changes.Should().BeEquivalentTo(expected.Changes, $"{name}: {pair.Case.What}");
        actual.Breaking.Should().Be(expected.Breaking);
    }
}
