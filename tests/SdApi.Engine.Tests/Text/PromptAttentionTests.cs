using SdApi.Engine.Text;

namespace SdApi.Engine.Tests.Text;

/// <summary>The examples from the docstring of A1111's parse_prompt_attention (modules/prompt_parser.py).</summary>
public class PromptAttentionTests
{
    private static (string, double)[] Parse(string prompt) => [.. PromptAttention.Parse(prompt).Select(f => (f.Text, Math.Round(f.Weight, 6)))];

    [Fact]
    public void Plain_text_has_weight_one() =>
        Parse("normal text").Should().Equal(("normal text", 1.0));

    [Fact]
    public void Round_brackets_multiply_by_1_1() =>
        Parse("an (important) word").Should().Equal(("an ", 1.0), ("important", 1.1), (" word", 1.0));

    [Fact]
    public void Unbalanced_bracket_applies_to_the_end() =>
        Parse("(unbalanced").Should().Equal(("unbalanced", 1.1));

    [Fact]
    public void Escaped_brackets_are_literal() =>
        Parse(@"\(literal\]").Should().Equal(("(literal]", 1.0));

    [Fact]
    public void Equal_weights_merge() =>
        Parse("(unnecessary)(parens)").Should().Equal(("unnecessaryparens", 1.1));

    [Fact]
    public void Nested_explicit_and_square_weights()
    {
        Parse("a (((house:1.3)) [on] a (hill:0.5), sun, (((sky))).").Should().Equal(
            ("a ", 1.0), ("house", 1.573), (" ", 1.1), ("on", 1.0), (" a ", 1.1), ("hill", 0.55), (", sun, ", 1.1), ("sky", 1.4641), (".", 1.1));
    }

    [Fact]
    public void Weighted_encoding_gives_each_token_its_fragment_weight()
    {
        var tokenizer = BuiltInClipVocabulary.CreateTokenizer();

        var (ids, weights) = tokenizer.EncodeWeighted("a (red:1.5) [circle]", 8);

        ids.Should().Equal(tokenizer.EncodeForModel("a red circle", 8));
        weights.Should().Equal([1f, 1f, 1.5f, (float)(1 / 1.1), 1f, 1f, 1f, 1f]);
    }
}
