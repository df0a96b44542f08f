using System.Globalization;
using System.Text.RegularExpressions;

namespace SdApi.Engine.Text;

/// <summary>A piece of prompt text and its attention weight.</summary>
public sealed record PromptFragment(string Text, double Weight);

/// <summary>AUTOMATIC1111's emphasis syntax: <c>(text)</c> multiplies attention by 1.1, <c>[text]</c> divides by 1.1,
/// <c>(text:1.5)</c> sets a factor, <c>\(</c> <c>\)</c> <c>\[</c> <c>\]</c> <c>\\</c> are literal; unbalanced brackets
/// apply to the end. Adjacent fragments of equal weight are merged. (A1111's BREAK keyword is not treated specially.)</summary>
public static partial class PromptAttention
{
    private const double RoundMultiplier = 1.1;
    private const double SquareMultiplier = 1 / 1.1;

    public static IReadOnlyList<PromptFragment> Parse(string prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var result = new List<(string Text, double Weight)>();
        var round = new Stack<int>();
        var square = new Stack<int>();
        void Multiply(int start, double factor)
        {
            for (var i = start; i < result.Count; i++)
                result[i] = (result[i].Text, result[i].Weight * factor);
        }
        foreach (Match m in Token().Matches(prompt))
        {
            var text = m.Value;
            if (text.StartsWith('\\'))
                result.Add((text[1..], 1.0));
            else if (text == "(")
                round.Push(result.Count);
            else if (text == "[")
                square.Push(result.Count);
            else if (m.Groups[1].Success && round.Count > 0 && double.TryParse(m.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var weight))
                Multiply(round.Pop(), weight);
            else if (text == ")" && round.Count > 0)
                Multiply(round.Pop(), RoundMultiplier);
            else if (text == "]" && square.Count > 0)
                Multiply(square.Pop(), SquareMultiplier);
            else
                result.Add((text, 1.0));
        }
        foreach (var start in round)
            Multiply(start, RoundMultiplier);
        foreach (var start in square)
            Multiply(start, SquareMultiplier);
        if (result.Count == 0)
            return [new PromptFragment("", 1.0)];
        var merged = new List<PromptFragment>();
        foreach (var (text, weight) in result)
        {
            if (merged.Count > 0 && merged[^1].Weight == weight)
                merged[^1] = merged[^1] with { Text = merged[^1].Text + text };
            else
                merged.Add(new PromptFragment(text, weight));
        }
        return merged;
    }

    [GeneratedRegex(@"\\\(|\\\)|\\\[|\\]|\\\\|\\|\(|\[|:\s*([+-]?[.\d]+)\s*\)|\)|]|[^\\()\[\]:]+|:")]
    private static partial Regex Token();
}
