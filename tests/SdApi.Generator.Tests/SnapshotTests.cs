using SdApi.Generator.Tests.Infrastructure;

namespace SdApi.Generator.Tests;

/// <summary>Golden files: the emitted sources for the small test spec (TestSpecs/mini.yaml) match Snapshots/mini/*, and
/// those for the real openapi.yaml match Snapshots/openapi/*. A deliberate spec or generator change is accepted by
/// running these tests with SDAPI_ACCEPT_SNAPSHOTS=1 and reviewing the diff of the baselines.</summary>
public class SnapshotTests
{
    public static IEnumerable<object[]> Files() => Keys(GeneratorHarness.MiniAll.Value.Run);

    public static IEnumerable<object[]> RealFiles() => Keys(GeneratorHarness.RealAll.Value.Run);

    private static IEnumerable<object[]> Keys(Microsoft.CodeAnalysis.GeneratorDriverRunResult run) =>
        GeneratorHarness.Sources(run).Keys.Order(StringComparer.Ordinal).Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(Files))]
    public void Emitted_source_matches_its_baseline(string hintName)
    {
        var (run, _) = GeneratorHarness.MiniAll.Value;
        var source = GeneratorHarness.Sources(run)[hintName];
        Snapshot.Match("mini/" + hintName.Replace(".g.cs", "", StringComparison.Ordinal), source);
    }

    [Theory]
    [MemberData(nameof(RealFiles))]
    public void Source_emitted_from_the_real_spec_matches_its_baseline(string hintName)
    {
        var (run, compile) = GeneratorHarness.RealAll.Value;
        compile.Should().BeEmpty(string.Join("\n", compile.Take(5)));
        Snapshot.Match("openapi/" + hintName.Replace(".g.cs", "", StringComparison.Ordinal), GeneratorHarness.Sources(run)[hintName]);
    }

    [Theory]
    [InlineData("mini")]
    [InlineData("openapi")]
    public void Every_baseline_is_still_emitted(string folderName)
    {
        var (run, _) = folderName == "mini" ? GeneratorHarness.MiniAll.Value : GeneratorHarness.RealAll.Value;
        var emitted = GeneratorHarness.Sources(run).Keys.Select(k => k.Replace(".g.cs", "", StringComparison.Ordinal) + ".verified.cs").ToHashSet();
        var folder = SdApi.Tests.Shared.RepoPaths.Combine("tests", "SdApi.Generator.Tests", "Snapshots", folderName);
        var baselines = Directory.GetFiles(folder, "*.verified.cs").Select(Path.GetFileName).ToList();
        baselines.Should().NotBeEmpty().And.OnlyContain(b => emitted.Contains(b!));
    }
}
