using System.CommandLine;
using SdApi.Cli.Infrastructure;

namespace SdApi.Cli.Tests;

/// <summary>`--help` on every verb (and the root) shows an "Example:" line, and errors are one line with a
/// non-zero exit code.</summary>
public sealed class HelpTests
{
    public static TheoryData<string> Verbs() => [.. SdApiRoot.Create().Subcommands.Select(c => c.Name)];

    [Fact]
    public async Task Root_help_has_an_example()
    {
        var run = await CliHarness.RunAsync("--help");
        run.Exit.Should().Be(0);
        run.Output.Should().Contain("Example:").And.Contain("sdapi generate");
    }

    [Theory]
    [MemberData(nameof(Verbs))]
    public async Task Verb_help_has_an_example(string verb)
    {
        var run = await CliHarness.RunAsync(verb, "--help");
        run.Exit.Should().Be(0, run.ToString());
        run.Output.Should().Contain("Example:", $"`sdapi {verb} --help` shows an example");
        run.Output.Should().MatchRegex($@"Example:\s+sdapi {verb}\b", "the example runs this verb");
    }

    [Fact]
    public void Every_verb_is_registered_once()
    {
        var names = SdApiRoot.Create().Subcommands.Select(c => c.Name).ToList();
        names.Should().OnlyHaveUniqueItems().And.Contain(["diff", "generate"]);
    }

    [Theory]
    [InlineData("diff")]
    [InlineData("diff", "a.yaml")]
    [InlineData("generate", "paint")]
    [InlineData("no-such-verb")]
    public async Task Usage_errors_are_one_line_and_exit_2(params string[] args)
    {
        var run = await CliHarness.RunAsync(args);
        run.Exit.Should().Be(ExitCodes.BadInput, run.ToString());
        run.ErrorLines.Should().ContainSingle().Which.Should().StartWith("sdapi");
        run.Output.Should().BeEmpty("no help dump after an error");
    }
}
