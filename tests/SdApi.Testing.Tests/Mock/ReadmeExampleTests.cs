using SdApi.Tests.Shared;

namespace SdApi.Testing.Tests.Mock;

/// <summary>The README's "Testing your code against SdApi" example is the file this project compiles and runs
/// (ImageServiceTests) and the packaging test's fresh consumer restores from the feed.</summary>
public sealed class ReadmeExampleTests
{
    [Fact]
    public void Readme_example_is_the_compiled_test()
    {
        var readme = File.ReadAllText(RepoPaths.Combine("README.md")).ReplaceLineEndings("\n");
        var section = readme.IndexOf("## Testing your code against SdApi", StringComparison.Ordinal);
        section.Should().BeGreaterThan(0, "README has the section");
        var start = readme.IndexOf("```csharp\n", section, StringComparison.Ordinal) + "```csharp\n".Length;
        var end = readme.IndexOf("```", start, StringComparison.Ordinal);
        var example = readme[start..end];

        var compiled = File.ReadAllText(RepoPaths.Combine("tests", "SdApi.Packaging.Tests", "TestingConsumer", "ImageServiceTests.cs.txt")).ReplaceLineEndings("\n");
        example.Should().Be(compiled);
        example.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.Should().BeLessThanOrEqualTo(22, "a short example");
    }
}
