using SdApi.Engine.Safety;

namespace SdApi.Engine.Tests.Safety;

public class SafetyCheckerTests
{
    [Theory]
    [InlineData("a NSFW photo of a beach", "nsfw")]
    [InlineData("Nude figure, oil painting", "nude")]
    [InlineData("two erotic statues", "erotic")]
    [InlineData("fetishes and more", "fetish")]
    public void Prompts_with_listed_words_are_unsafe(string prompt, string word)
    {
        var verdict = SafetyChecker.Check(prompt);

        verdict.IsUnsafe.Should().BeTrue();
        verdict.MatchedWords.Should().Contain(word);
    }

    [Theory]
    [InlineData("a cat sitting on a bench")]
    [InlineData("Essex countryside, sextant on a table")] // listed words only count as whole words
    [InlineData("")]
    [InlineData(null)]
    public void Other_prompts_are_safe(string? prompt)
    {
        SafetyChecker.Check(prompt).Should().Be(SafetyVerdict.Safe);
    }

    [Fact]
    public void Every_listed_word_is_caught()
    {
        NsfwWordList.Words.Should().NotBeEmpty("an empty list would make the check below pass vacuously");
        NsfwWordList.Words.Should().OnlyContain(w => SafetyChecker.Check($"a {w} scene").IsUnsafe);
    }

    [Theory]
    [InlineData("blur", SafetyCheckerType.Blur)]
    [InlineData("sensitive_content_text", SafetyCheckerType.SensitiveContentText)]
    [InlineData("PIXELATE", SafetyCheckerType.Pixelate)]
    [InlineData("black", SafetyCheckerType.Black)]
    [InlineData(null, SafetyCheckerType.SensitiveContentText)]
    [InlineData("", SafetyCheckerType.SensitiveContentText)]
    public void Safety_checker_type_wire_names_parse(string? wire, SafetyCheckerType expected)
    {
        SafetyCheckerTypes.TryParse(wire, out var type).Should().BeTrue();
        type.Should().Be(expected);
    }

    [Fact]
    public void Unknown_safety_checker_type_is_rejected()
    {
        SafetyCheckerTypes.TryParse("mosaic", out _).Should().BeFalse();
    }

    [Fact]
    public void Wire_names_round_trip()
    {
        foreach (var name in SafetyCheckerTypes.WireNames)
        {
            SafetyCheckerTypes.TryParse(name, out var type).Should().BeTrue();
            type.ToWireName().Should().Be(name);
        }
    }
}
