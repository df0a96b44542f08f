using System.Text.Json.Nodes;
using SdApi.Cli.Infrastructure;
using SdApi.Tests.Shared;

namespace SdApi.Cli.Tests.Diff;

/// <summary>`sdapi diff` as a command: exit 1 when breaking, 0 when safe, 2 when a file cannot be read (one line
/// naming the file), and `--format json` carrying the same verdict and changes.</summary>
public sealed class DiffCommandTests : IDisposable
{
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("sdapi-diff-");

    public void Dispose() => _temp.Delete(recursive: true);

    [Fact]
    public async Task Breaking_pair_exits_1_and_names_the_change()
    {
        var pair = DiffCaseFiles.Get("maximum-lowered");
        var run = await CliHarness.RunAsync("diff", pair.OldPath, pair.NewPath);
        run.Exit.Should().Be(ExitCodes.Failure, run.ToString());
        run.Output.Should().Contain("Breaking changes").And.Contain("V4Text2ImgRequest.num_inference_steps")
            .And.Contain("maximum lowered from 51 to 40").And.Contain("Verdict: BREAKING");
    }

    [Fact]
    public async Task Safe_pair_exits_0()
    {
        var pair = DiffCaseFiles.Get("optional-field-added");
        var run = await CliHarness.RunAsync("diff", pair.OldPath, pair.NewPath);
        run.Exit.Should().Be(ExitCodes.Success, run.ToString());
        run.Output.Should().Contain("Safe changes (1)").And.Contain("V6Text2ImgRequest.style_preset").And.NotContain("Breaking changes");
    }

    [Fact]
    public async Task Same_spec_exits_0_with_no_differences()
    {
        var run = await CliHarness.RunAsync("diff", RepoPaths.Spec, RepoPaths.Spec);
        run.Exit.Should().Be(ExitCodes.Success, run.ToString());
        run.Output.Should().Contain("No differences");
    }

    [Fact]
    public async Task Json_format_carries_verdict_and_changes()
    {
        var pair = DiffCaseFiles.Get("enum-value-removed");
        var run = await CliHarness.RunAsync("diff", pair.OldPath, pair.NewPath, "--format", "json");
        run.Exit.Should().Be(ExitCodes.Failure, run.ToString());
        var json = JsonNode.Parse(run.Output)!;
        json["breaking"]!.GetValue<bool>().Should().BeTrue();
        var changes = json["changes"]!.AsArray();
        json["breakingCount"]!.GetValue<int>().Should().Be(changes.Count(c => c!["severity"]!.GetValue<string>() == "breaking"));
        var removed = changes.Single(c => c!["kind"]!.GetValue<string>() == "enum-value-removed")!;
        removed["location"]!.GetValue<string>().Should().Be("V4Text2ImgRequest.safety_checker_type");
        removed["operations"]!.AsArray().Select(o => o!.GetValue<string>()).Should().Equal("v4Text2Img");
        removed["affects"]!.AsArray().Select(o => o!.GetValue<string>()).Should().Equal("callers");
        removed["message"]!.GetValue<string>().Should().Contain("pixelate");
    }

    public static TheoryData<string, string, string> Unreadable() => new()
    {
        { "not-yaml", "openapi: 3.0.3\npaths: {\n  broken: [", "not valid YAML" },
        { "not-openapi", "swagger: '2.0'\npaths: {}\n", "not an OpenAPI 3 document" },
        { "no-paths", "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n", "no 'paths'" },
        { "broken-ref", "openapi: 3.0.3\npaths:\n  /a:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: {$ref: '#/components/schemas/Missing'}\n", "points to nothing" },
        { "duplicate-key", "openapi: 3.0.3\npaths: {}\npaths: {}\n", "Duplicate key" },
    };

    [Theory]
    [MemberData(nameof(Unreadable))]
    public async Task Unreadable_input_exits_2_with_one_line(string name, string text, string expected)
    {
        var path = Path.Combine(_temp.FullName, name + ".yaml");
        await File.WriteAllTextAsync(path, text);
        var run = await CliHarness.RunAsync("diff", RepoPaths.Spec, path);
        run.Exit.Should().Be(ExitCodes.BadInput, run.ToString());
        run.ErrorLines.Should().ContainSingle().Which.Should().Contain(path).And.Contain(expected);
        run.Output.Should().BeEmpty();
    }

    [Fact]
    public async Task Missing_file_exits_2()
    {
        var missing = Path.Combine(_temp.FullName, "nope.yaml");
        var run = await CliHarness.RunAsync("diff", missing, RepoPaths.Spec);
        run.Exit.Should().Be(ExitCodes.BadInput);
        run.ErrorLines.Should().ContainSingle().Which.Should().Contain("nope.yaml").And.Contain("cannot read");
    }
}
