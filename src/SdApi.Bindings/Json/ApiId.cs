using System.Globalization;

namespace SdApi.Bindings.Json;

/// <summary>A job id as the API sends it: an integer at the top level, a string in <c>meta</c>, <c>""</c> on failure.
/// Remembers which, so writing reproduces the wire form.</summary>
public readonly record struct ApiId(string Value, bool IsNumber)
{
    public static implicit operator ApiId(long value) => new(value.ToString(CultureInfo.InvariantCulture), true);

    public static implicit operator ApiId(string value) => new(value ?? "", false);

    public bool IsEmpty => string.IsNullOrEmpty(Value);

    public bool TryGetInt64(out long value)
        => long.TryParse(Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);

    public override string ToString() => Value ?? "";

    public ApiId ToApiId() => this;
}
