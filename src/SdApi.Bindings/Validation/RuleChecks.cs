using System.Globalization;
using SdApi.Bindings.Json;

namespace SdApi.Bindings.Validation;

/// <summary>The checks of x-sdapi-rules (spec/CONVENTIONS.md, "Rules"); each returns true when the value passes.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)] // generated code in other assemblies calls it
public static class RuleChecks
{
    private const double Tolerance = 1e-9;

    public static bool InRange(double value, double? min, double? max)
        => (min is null || value >= min.Value - Tolerance) && (max is null || value <= max.Value + Tolerance);

    public static bool IsMultipleOf(double value, double divisor)
    {
        if (divisor == 0) return true;
        var q = value / divisor;
        return Math.Abs(q - Math.Round(q)) < Tolerance;
    }

    public static bool ItemsInRange(IReadOnlyList<double> values, double? min, double? max)
    {
        foreach (var v in values)
            if (!InRange(v, min, max)) return false;
        return true;
    }

    public static bool ItemsInRange(IReadOnlyList<string> values, double? min, double? max)
    {
        foreach (var v in values)
            if (!WireReader.TryParseNumber(v, out var d) || !InRange(d, min, max)) return false;
        return true;
    }

    /// <summary>Numbers compare numerically.</summary>
    public static bool OneOfNumber(double value, double[] allowed)
    {
        foreach (var a in allowed)
            if (Math.Abs(a - value) < Tolerance) return true;
        return false;
    }

    /// <summary>Strings compare exactly (ordinal), as the schema's <c>enum</c> does, so the validators, Prism and WireMock
    /// agree; case variants the API accepts (<c>YES</c>/<c>Yes</c>) are listed in the rule. Numeric strings also compare
    /// numerically.</summary>
    public static bool OneOfText(string value, string[] allowed)
    {
        var trimmed = value.Trim();
        foreach (var a in allowed)
        {
            if (string.Equals(a, trimmed, StringComparison.Ordinal)) return true;
            if (WireReader.TryParseNumber(a, out var x) && WireReader.TryParseNumber(trimmed, out var y) && Math.Abs(x - y) < Tolerance) return true;
        }
        return false;
    }

    public static bool AllOneOf(IReadOnlyList<string> values, string[] allowed)
    {
        foreach (var v in values)
            if (!OneOfText(v, allowed)) return false;
        return true;
    }

    public static bool AllOneOf(IReadOnlyList<double> values, string[] allowed)
    {
        foreach (var v in values)
            if (!OneOfText(v.ToString("R", CultureInfo.InvariantCulture), allowed)) return false;
        return true;
    }

    /// <summary>An absolute URL with one of <paramref name="schemes"/> and a host, or (when the request's base64 flag is
    /// yes) base64 image data, bare or as a <c>data:</c> URI.</summary>
    public static bool IsUrlOrBase64(string value, string[] schemes, bool base64Allowed)
    {
        if (Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) && !string.IsNullOrEmpty(uri.Host))
        {
            foreach (var s in schemes)
                if (string.Equals(uri.Scheme, s, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return base64Allowed && IsBase64(value);
    }

    public static bool IsBase64(string value)
    {
        var text = value.Trim();
        if (text.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            var comma = text.IndexOf(',', StringComparison.Ordinal);
            if (comma < 0 || !text.AsSpan(0, comma).EndsWith(";base64", StringComparison.OrdinalIgnoreCase)) return false;
            text = text[(comma + 1)..];
        }
        // Checked in place: a 10 MB image is not decoded (7.5 MB allocated) only to say whether it could be.
        return System.Buffers.Text.Base64.IsValid(text.AsSpan(), out var decodedLength) && decodedLength > 0;
    }
}
