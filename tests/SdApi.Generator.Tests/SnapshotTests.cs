using SdApi.Generator.Tests.Infrastructure;

namespace SdApi.Generator.Tests;

/// <summary>Golden files: the emitted sources for the small test spec (TestSpecs/mini.yaml) match Snapshots/mini/*.</summary>
public class SnapshotTests
{
    public static IEnumerable<object[]> Files()
    {
        var (run, _) = GeneratorHarness.MiniAll.Value;
        return GeneratorHarness.Sources(run).Keys.Order(StringComparer.Ordinal).Select(k => new object[] { k });
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Emitted_source_matches_its_baseline(string hintName)
    {
        var (run, _) = GeneratorHarness.MiniAll.Value;
        var source = GeneratorHarness.Sources(run)[hintName];
        Snapshot.Match("mini/" + hintName.Replace(".g.cs", "", StringComparison.Ordinal), source);
    }

    [Fact]
    public void Every_baseline_is_still_emitted()
    {
        var (run, _) = GeneratorHarness.MiniAll.Value;
        var emitted = GeneratorHarness.Sources(run).Keys.Select(k => k.Replace(".g.cs", "", StringComparison.Ordinal) + ".verified.cs").ToHashSet();
        var folder = SdApi.Tests.Shared.RepoPaths.Combine("tests", "SdApi.Generator.Tests", "Snapshots", "mini");
        var baselines = Directory.GetFiles(folder, "*.verified.cs").Select(Path.GetFileName).ToList();
        baselines.Should().NotBeEmpty().And.OnlyContain(b => emitted.Contains(b!));
    }
}
