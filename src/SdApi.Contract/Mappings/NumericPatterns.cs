using System.Globalization;
using System.Text;

namespace SdApi.Contract.Mappings;

/// <summary>
/// Hand-written: JSON Schema has no keyword that bounds a number written as a string ("1025"), and no library turns a
/// numeric interval into a regular expression, so these build the patterns the mappings use for numeric strings.
/// Every pattern reads the text the generated reader accepts: optional sign, leading zeros, an optional fraction
/// (<c>"5."</c>, <c>".5"</c>); exponent notation is not matched (listed in the README).
/// Patterns use only what ECMA 262 and java.util.regex share (no inline flags, lookahead only), so Prism, NJsonSchema
/// and any WireMock 3 read them alike.
/// </summary>
public static class NumericPatterns
{
    private const string AnyNonNegative = @"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)";
    private const string Zero = @"(?:0+(?:\.0*)?|\.0+)";
    private const string Blank = @"[ \t\r\n]*";

    /// <summary>One number in [min, max] (either bound may be absent), without anchors; for use inside a larger pattern.</summary>
    public static string Item(decimal? min, decimal? max)
    {
        var ge = min is null ? @"[+-]?" + AnyNonNegative : AtLeast(min.Value);
        var le = max is null ? @"[+-]?" + AnyNonNegative : AtMost(max.Value);
        // The lookahead checks the lower bound on the whole item, then the upper bound consumes it.
        return $"(?=(?:{ge}){Blank}(?:,|$))(?:{le})";
    }

    /// <summary>A whole string that is blank (the reader reads it as absent) or one number in [min, max].</summary>
    public static string Scalar(decimal? min, decimal? max) => $"^{Blank}(?:{Item(min, max)})?{Blank}$";

    /// <summary>A comma-separated list whose every non-blank item is in [min, max].</summary>
    public static string List(decimal? min, decimal? max)
    {
        var part = $"{Blank}(?:{Item(min, max)})?{Blank}";
        return $"^{part}(?:,{part})*$";
    }

    /// <summary>A whole string that is blank or an integer (fraction of zeros allowed) divisible by
    /// <paramref name="divisor"/>; null when the divisor is not a whole number dividing 10, 100 or 1000 (then the last
    /// digits alone do not decide, and a regular expression would be unreadably large).</summary>
    public static string? MultipleOf(decimal divisor)
    {
        if (divisor <= 0 || divisor != decimal.Truncate(divisor)) return null;
        var d = (int)divisor;
        int? digits = null;
        for (var k = 1; k <= 3; k++)
            if ((int)Math.Pow(10, k) % d == 0) { digits = k; break; }
        if (digits is not int width) return null;
        var limit = (int)Math.Pow(10, width);
        var padded = new List<string>();
        var shorter = new List<string>();
        for (var v = 0; v < limit; v += d)
        {
            padded.Add(v.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0'));
            if (v < limit / 10) shorter.Add(v.ToString(CultureInfo.InvariantCulture));
        }
        var number = $"[+-]?0*(?:[0-9]*(?:{string.Join('|', padded)})|(?:{string.Join('|', shorter)}))(?:\\.0*)?";
        return $"^{Blank}(?:{number})?{Blank}$";
    }

    /// <summary>Text of a number at least <paramref name="min"/>.</summary>
    private static string AtLeast(decimal min) => min switch
    {
        > 0 => $@"\+?(?:{AtLeastPositive(min)})",
        0 => $@"\+?{AnyNonNegative}|-{Zero}",
        _ => $@"\+?{AnyNonNegative}|-(?:{AtMostPositive(-min)})",
    };

    /// <summary>Text of a number at most <paramref name="max"/>.</summary>
    private static string AtMost(decimal max) => max switch
    {
        > 0 => $@"\+?(?:{AtMostPositive(max)})|-{AnyNonNegative}",
        0 => $@"\+?{Zero}|-{AnyNonNegative}",
        _ => $"-(?:{AtLeastPositive(-max)})",
    };

    /// <summary>Unsigned text of a value &gt;= m (m &gt;= 0).</summary>
    private static string AtLeastPositive(decimal m)
    {
        var (integer, fraction) = Split(m);
        var alternatives = new List<string>();
        var greater = IntegerGreater(integer);
        alternatives.Add($@"0*(?:{greater})(?:\.[0-9]*)?");
        var equal = integer == "0" ? "0*" : "0*" + integer;
        alternatives.Add(fraction.Length == 0 ? $@"{equal}(?:\.[0-9]*)?" : $@"{equal}\.(?:{FractionAtLeast(fraction)})");
        return string.Join('|', alternatives);
    }

    /// <summary>Unsigned text of a value &lt;= m (m &gt;= 0).</summary>
    private static string AtMostPositive(decimal m)
    {
        var (integer, fraction) = Split(m);
        var alternatives = new List<string>();
        if (integer != "0")
            alternatives.Add($@"0*(?:{IntegerLess(integer)})(?:\.[0-9]*)?");
        var equal = integer == "0" ? "0*" : "0*" + integer;
        alternatives.Add(fraction.Length == 0 ? $@"{equal}(?:\.0*)?" : $@"{equal}(?:\.(?:{FractionAtMost(fraction)}))?");
        return string.Join('|', alternatives);
    }

    private static (string Integer, string Fraction) Split(decimal value)
    {
        var text = value.ToString(CultureInfo.InvariantCulture);
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var integer = dot < 0 ? text : text[..dot];
        var fraction = dot < 0 ? "" : text[(dot + 1)..].TrimEnd('0');
        integer = integer.TrimStart('0');
        return (integer.Length == 0 ? "0" : integer, fraction);
    }

    /// <summary>Digits (no leading zero) of an integer greater than <paramref name="n"/>.</summary>
    private static string IntegerGreater(string n)
    {
        var alternatives = new List<string> { $"[1-9][0-9]{{{n.Length},}}" };
        for (var i = 0; i < n.Length; i++)
        {
            var digit = n[i] - '0';
            if (digit == 9) continue;
            var low = i == 0 ? Math.Max(digit + 1, 1) : digit + 1;
            alternatives.Add(n[..i] + Class(low, 9) + Repeat(n.Length - i - 1));
        }
        return string.Join('|', alternatives);
    }

    /// <summary>Digits (no leading zero needed) of an integer smaller than <paramref name="n"/> (n &gt; 0); empty text
    /// (".5") counts as 0.</summary>
    private static string IntegerLess(string n)
    {
        var alternatives = new List<string> { n.Length > 1 ? $"[0-9]{{0,{n.Length - 1}}}" : "" };
        for (var i = 0; i < n.Length; i++)
        {
            var digit = n[i] - '0';
            if (digit == 0) continue;
            alternatives.Add(n[..i] + Class(0, digit - 1) + Repeat(n.Length - i - 1));
        }
        return string.Join('|', alternatives);
    }

    /// <summary>Fraction digits whose value is &gt;= 0.<paramref name="f"/>.</summary>
    private static string FractionAtLeast(string f)
    {
        var alternatives = new List<string>();
        for (var i = 0; i < f.Length; i++)
        {
            var digit = f[i] - '0';
            if (digit < 9) alternatives.Add(f[..i] + Class(digit + 1, 9) + "[0-9]*");
        }
        alternatives.Add(f + "[0-9]*");
        return string.Join('|', alternatives);
    }

    /// <summary>Fraction digits whose value is &lt;= 0.<paramref name="f"/> (shorter means padded with zeros).</summary>
    private static string FractionAtMost(string f)
    {
        var alternatives = new List<string>();
        for (var i = 0; i < f.Length; i++)
        {
            var digit = f[i] - '0';
            if (digit > 0) alternatives.Add(f[..i] + Class(0, digit - 1) + "[0-9]*");
            alternatives.Add(f[..i]);
        }
        alternatives.Add(f + "0*");
        return string.Join('|', alternatives.Distinct());
    }

    private static string Class(int low, int high) => low == high ? low.ToString(CultureInfo.InvariantCulture) : $"[{low}-{high}]";

    private static string Repeat(int count) => count switch { 0 => "", 1 => "[0-9]", _ => $"[0-9]{{{count}}}" };

    /// <summary>A regex matching <paramref name="text"/> literally.</summary>
    public static string Literal(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (@"\^$.|?*+()[]{}/".Contains(c, StringComparison.Ordinal)) builder.Append('\\');
            builder.Append(c);
        }
        return builder.ToString();
    }
}
