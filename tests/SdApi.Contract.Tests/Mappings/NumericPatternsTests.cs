using System.Globalization;
using System.Text.RegularExpressions;
using SdApi.Contract.Mappings;

namespace SdApi.Contract.Tests.Mappings;

/// <summary>The numeric-string patterns of the mappings decide exactly as a numeric comparison does, over a grid of
/// texts around each bound (signs, leading zeros, fractions, blanks).</summary>
public sealed class NumericPatternsTests
{
    public static TheoryData<string?, string?> Bounds() => new()
    {
        { "1", "51" }, { "256", "1024" }, { null, "1024" }, { "0.1", "1" }, { "1", "20" }, { "0", "1" }, { "-5", "5" },
        { "1", null }, { "0", null }, { "-2.5", "-0.5" },
    };

    [Theory]
    [MemberData(nameof(Bounds))]
    public void A_scalar_pattern_matches_exactly_the_numbers_within_the_bounds(string? min, string? max)
    {
        var low = min is null ? (decimal?)null : decimal.Parse(min, CultureInfo.InvariantCulture);
        var high = max is null ? (decimal?)null : decimal.Parse(max, CultureInfo.InvariantCulture);
        var pattern = new Regex(NumericPatterns.Scalar(low, high));
        var checkedTexts = 0;
        foreach (var text in Texts(low, high))
        {
            var value = decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
            var inside = (low is null || value >= low) && (high is null || value <= high);
            pattern.IsMatch(text).Should().Be(inside, $"'{text}' is {(inside ? "inside" : "outside")} [{min}, {max}]");
            checkedTexts++;
        }
        checkedTexts.Should().BeGreaterThan(100);
        pattern.IsMatch("").Should().BeTrue("a blank string is read as absent");
        pattern.IsMatch("  ").Should().BeTrue();
    }

    [Fact]
    public void A_list_pattern_checks_every_item()
    {
        var pattern = new Regex(NumericPatterns.List(0.1m, 1m));
        pattern.IsMatch("0.45,0.55").Should().BeTrue();
        pattern.IsMatch(" 0.1 , 1 ").Should().BeTrue();
        pattern.IsMatch("0.45,1.01").Should().BeFalse();
        pattern.IsMatch("0.09,0.5").Should().BeFalse();
        pattern.IsMatch("1.5").Should().BeFalse();
    }

    [Fact]
    public void The_multiple_of_pattern_agrees_with_the_remainder()
    {
        var pattern = new Regex(NumericPatterns.MultipleOf(8)!);
        for (var n = -64; n <= 2100; n++)
        {
            var text = n.ToString(CultureInfo.InvariantCulture);
            pattern.IsMatch(text).Should().Be(n % 8 == 0, text);
            pattern.IsMatch("00" + n.ToString(CultureInfo.InvariantCulture).TrimStart('-')).Should().Be(n % 8 == 0);
        }
        pattern.IsMatch("512.0").Should().BeTrue();
        NumericPatterns.MultipleOf(3).Should().BeNull("the last digits do not decide divisibility by 3");
    }

    /// <summary>Texts near every bound and across the range, in the spellings the reader accepts.</summary>
    private static IEnumerable<string> Texts(decimal? min, decimal? max)
    {
        var anchors = new List<decimal> { 0, 1, 10, 1000, 2048 };
        foreach (var bound in new[] { min, max })
            if (bound is decimal b)
                anchors.AddRange([b, b - 1, b + 1, b - 0.01m, b + 0.01m, b - 0.001m, b + 0.001m, b * 10, b / 10]);
        var values = new SortedSet<decimal>();
        foreach (var a in anchors)
            foreach (var delta in new[] { 0m, 0.5m, -0.5m, 0.09m, -0.09m })
            {
                values.Add(a + delta);
                values.Add(-(a + delta));
            }
        foreach (var v in values)
        {
            var text = v.ToString(CultureInfo.InvariantCulture);
            yield return text;
            var unsigned = text.TrimStart('-');
            var sign = text.StartsWith('-') ? "-" : "";
            yield return sign + "00" + unsigned;
            if (sign == "") yield return "+" + unsigned;
            if (!unsigned.Contains('.', StringComparison.Ordinal)) yield return sign + unsigned + ".000";
            else yield return sign + unsigned + "00";
            if (unsigned.StartsWith("0.", StringComparison.Ordinal)) yield return sign + unsigned[1..];
        }
    }
}
