using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SdApi.Bindings.Json;

/// <summary>Tolerant value readers the generated <c>ReadJson</c> methods call, one per x-sdapi-kind. They accept every
/// documented quirk (numbers as strings, yes/no flags, csv lists, <c>""</c> for empty) and record what they cannot
/// convert as a <see cref="WireIssue"/> instead of throwing. Only malformed JSON throws (<see cref="JsonException"/>).</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)] // generated code in other assemblies calls it
public static class WireReader
{
    /// <summary>Reader options: trailing commas and comments are tolerated.</summary>
    public static JsonReaderOptions Options { get; } = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    public static void StartObject(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.None && !reader.Read())
            throw new JsonException("The JSON body is empty.");
        if (reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException("The JSON body must be an object.");
    }

    public static void EnsureEnd(ref Utf8JsonReader reader)
    {
        if (reader.Read())
            throw new JsonException("Unexpected data after the JSON object.");
    }

    /// <summary>The string (or property name) the reader is on. Text that is not valid UTF-8, or escapes an unpaired
    /// surrogate (<c>"\ud83d"</c>, as a PHP answer may when it cuts an emoji in half), reads with U+FFFD in its place
    /// instead of throwing: an answer is never lost over one broken character.</summary>
    public static string Text(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException) when (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName)
        {
            return Lenient(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan);
        }
    }

    /// <summary>JSON string unescaping that replaces what cannot be text (System.Text.Json only throws).</summary>
    private static string Lenient(ReadOnlySpan<byte> raw)
    {
        var text = new StringBuilder(raw.Length);
        while (raw.Length > 0)
        {
            var slash = raw.IndexOf((byte)'\\');
            var run = slash < 0 ? raw : raw[..slash];
            text.Append(Encoding.UTF8.GetString(run)); // invalid UTF-8 becomes U+FFFD
            if (slash < 0 || slash + 1 >= raw.Length) break;
            var escape = raw[slash + 1];
            raw = raw[(slash + 2)..];
            switch (escape)
            {
                case (byte)'b': text.Append('\b'); break;
                case (byte)'f': text.Append('\f'); break;
                case (byte)'n': text.Append('\n'); break;
                case (byte)'r': text.Append('\r'); break;
                case (byte)'t': text.Append('\t'); break;
                case (byte)'u' when raw.Length >= 4 && System.Buffers.Text.Utf8Parser.TryParse(raw[..4], out ushort code, out var used, 'X') && used == 4:
                    text.Append((char)code);
                    raw = raw[4..];
                    break;
                default: text.Append((char)escape); break;
            }
        }
        // Surrogates that do not pair up are the one thing left that is not text.
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
            if (char.IsSurrogate(text[i])) text[i] = '\uFFFD';
        }
        return text.ToString();
    }

    /// <summary>The current property name as UTF-8 bytes: the input itself, or an unescaped copy when the name is escaped.</summary>
    public static ReadOnlySpan<byte> PropertyName(ref Utf8JsonReader reader)
        => reader.ValueIsEscaped || reader.HasValueSequence ? Encoding.UTF8.GetBytes(Text(ref reader)) : reader.ValueSpan;

    /// <summary>The string value of a top-level property, looked up without moving <paramref name="reader"/> (a copy).</summary>
    public static string? PeekString(Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        var depth = reader.CurrentDepth;
        while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth))
        {
            var match = reader.ValueTextEquals(name);
            reader.Read();
            if (match && reader.TokenType == JsonTokenType.String) return Text(ref reader);
            reader.Skip();
        }
        return null;
    }

    public static string? ReadString(ref Utf8JsonReader reader, string field, ref List<WireIssue>? issues)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String: return Text(ref reader);
            case JsonTokenType.Null: return null;
            case JsonTokenType.Number: return RawText(ref reader);
            case JsonTokenType.True: return "true";
            case JsonTokenType.False: return "false";
            default: return Mismatch<string>(ref reader, field, "a string", ref issues);
        }
    }

    public static int? ReadInt32(ref Utf8JsonReader reader, string field, ref List<WireIssue>? issues)
    {
        var value = ReadInt64(ref reader, field, ref issues);
        if (value is null) return null;
        if (value is < int.MinValue or > int.MaxValue) return Issue<int>(field, "must be an integer.", ref issues);
        return (int)value.Value;
    }

    public static long? ReadInt64(ref Utf8JsonReader reader, string field, ref List<WireIssue>? issues)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number:
                if (reader.TryGetInt64(out var l)) return l;
                if (reader.TryGetDouble(out var d) && IsWhole(d)) return (long)d;
                return Issue<long>(field, "must be an integer.", ref issues);
            case JsonTokenType.String:
                if (!reader.ValueIsEscaped && !reader.HasValueSequence)
                {
                    // The common "512": parsed from the bytes, no string allocated.
                    var span = TrimAscii(reader.ValueSpan);
                    if (span.Length == 0) return null;
                    if (System.Buffers.Text.Utf8Parser.TryParse(span, out long fast, out var used) && used == span.Length) return fast;
                }
                var text = Text(ref reader).Trim();
                if (text.Length == 0) return null;
                if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed)) return parsed;
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var pd) && IsWhole(pd)) return (long)pd;
                return Issue<long>(field, "must be an integer.", ref issues);
            default:
                return Mismatch<long>(ref reader, field, "an integer", ref issues);
        }
    }

    public static double? ReadDouble(ref Utf8JsonReader reader, string field, ref List<WireIssue>? issues)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number:
                // 1e400 does not fit a double: an issue, not a FormatException (a server must never 500 on it).
                return reader.TryGetDouble(out var n) && double.IsFinite(n) ? n : Issue<double>(field, "must be a number.", ref issues);
            case JsonTokenType.String:
                if (!reader.ValueIsEscaped && !reader.HasValueSequence)
                {
                    var span = TrimAscii(reader.ValueSpan);
                    if (span.Length == 0) return null;
                    if (System.Buffers.Text.Utf8Parser.TryParse(span, out double fast, out var used) && used == span.Length && double.IsFinite(fast)) return fast;
                }
                var text = Text(ref reader).Trim();
                if (text.Length == 0) return null;
                if (TryParseNumber(text, out var d)) return d;
                return Issue<double>(field, "must be a number.", ref issues);
            default:
                return Mismatch<double>(ref reader, field, "a number", ref issues);
        }
    }

    public static bool? ReadBoolean(ref Utf8JsonReader reader, string field, ref List<WireIssue>? issues)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.True: return true;
            case JsonTokenType.False: return false;
            case JsonTokenType.Null: return null;
            case JsonTokenType.String:
                var text = Text(ref reader).Trim();
                if (text.Length == 0) return null;
                if (text is "1" || text.Equals("true", StringComparison.OrdinalIgnoreCase) || text.Equals("yes", StringComparison.OrdinalIgnoreCase)) return true;
                if (text is "0" || text.Equals("false", StringComparison.OrdinalIgnoreCase) || text.Equals("no", StringComparison.OrdinalIgnoreCase)) return false;
                return Issue<bool>(field, "field must be true or false.", ref issues);
            case JsonTokenType.Number:
                if (reader.TryGetInt32(out var n) && n is 0 or 1) return n == 1;
                return Issue<bool>(field, "field must be true or false.", ref issues);
            default:
                return Mismatch<bool>(ref reader, field, "true or false", ref issues);
        }
    }

    /// <summary>A yes/no flag: "yes"/"no" in any letter case, or JSON true/false.</summary>
    public static bool? ReadYesNo(ref Utf8JsonReader reader, string field, ref List<WireIssue>? issues)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.True: return true;
            case JsonTokenType.False: return false;
            case JsonTokenType.Null: return null;
            case JsonTokenType.String:
                if (!reader.ValueIsEscaped && !reader.HasValueSequence)
                {
                    // Compared on the bytes: flags are in every request and answer, no string needed.
                    var span = TrimAscii(reader.ValueSpan);
                    if (System.Text.Ascii.EqualsIgnoreCase(span, "yes"u8)) return true;
                    if (System.Text.Ascii.EqualsIgnoreCase(span, "no"u8)) return false;
                    return Issue<bool>(field, "must be yes or no.", ref issues);
                }
                var text = Text(ref reader).Trim();
                if (text.Equals("yes", StringComparison.OrdinalIgnoreCase)) return true;
                if (text.Equals("no", StringComparison.OrdinalIgnoreCase)) return false;
                return Issue<bool>(field, "must be yes or no.", ref issues);
            default:
                return Mismatch<bool>(ref reader, field, "yes or no", ref issues);
        }
    }

    /// <summary>A comma-separated list of ids (<c>"a,b"</c>); a JSON array is accepted too.</summary>
    public static IReadOnlyList<string>? ReadIdList(ref Utf8JsonReader reader, string field, ref List<WireIssue>? issues)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                return SplitCsv(Text(ref reader));
            case JsonTokenType.Number:
                return new[] { RawText(ref reader) };
            case JsonTokenType.StartArray:
                var list = new List<string>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    var item = ReadString(ref reader, field, ref issues);
                    if (!string.IsNullOrWhiteSpace(item)) list.Add(item.Trim());
                }
                return list;
            default:
                return Mismatch<IReadOnlyList<string>>(ref reader, field, "a comma-separated list", ref issues);
        }
    }

    /// <summary>One number (<c>1</c>, <c>"0.7"</c>) or a csv of numbers (<c>"0.45,0.55"</c>); a JSON array is accepted too.</summary>
    public static IReadOnlyList<double>? ReadNumberList(ref Utf8JsonReader reader, string field, ref List<WireIssue>? issues)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number:
                return reader.TryGetDouble(out var single) && double.IsFinite(single)
                    ? new[] { single }
                    : ListIssue(field, "must be a number or a comma-separated list of numbers.", ref issues);
            case JsonTokenType.String:
                var parts = SplitCsv(Text(ref reader));
                if (parts.Count == 0) return null;
                var values = new double[parts.Count];
                for (var i = 0; i < parts.Count; i++)
                    if (!TryParseNumber(parts[i], out values[i]))
                        return ListIssue(field, "must be a number or a comma-separated list of numbers.", ref issues);
                return values;
            case JsonTokenType.StartArray:
                var list = new List<double>();
                var bad = false;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var item) && double.IsFinite(item)) list.Add(item);
                    else if (reader.TokenType == JsonTokenType.String && TryParseNumber(Text(ref reader), out var d)) list.Add(d);
                    else { bad = true; reader.Skip(); }
                }
                return bad ? ListIssue(field, "must be a number or a comma-separated list of numbers.", ref issues) : list;
            default:
                return Mismatch<IReadOnlyList<double>>(ref reader, field, "a number or a comma-separated list of numbers", ref issues);
        }
    }

    /// <summary>An id: integer, string, or <c>""</c>.</summary>
    public static ApiId? ReadId(ref Utf8JsonReader reader, string field, ref List<WireIssue>? issues)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null: return null;
            case JsonTokenType.Number: return new ApiId(RawText(ref reader), true);
            case JsonTokenType.String: return new ApiId(Text(ref reader), false);
            default: return Mismatch<ApiId>(ref reader, field, "an id", ref issues);
        }
    }

    /// <summary>An array of URLs, or <c>""</c> (read as <see cref="LinkList.EmptyString"/>); one URL string is accepted too.</summary>
    public static IReadOnlyList<string>? ReadStringListOrEmpty(ref Utf8JsonReader reader, string field, ref List<WireIssue>? issues)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                var text = Text(ref reader);
                return text.Length == 0 ? LinkList.EmptyString : new[] { text };
            case JsonTokenType.StartArray:
                return ReadStringArray(ref reader, field, ref issues);
            default:
                return Mismatch<IReadOnlyList<string>>(ref reader, field, "a list of links", ref issues);
        }
    }

    /// <summary><c>message</c>/<c>messege</c>: a string, or an object of field -> messages (validation errors).</summary>
    public static string? ReadMessage(ref Utf8JsonReader reader, string field, ref List<WireIssue>? issues, out IReadOnlyDictionary<string, IReadOnlyList<string>>? fieldErrors)
    {
        fieldErrors = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var map = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var name = Text(ref reader);
                    reader.Read();
                    var messages = new List<string>();
                    if (reader.TokenType == JsonTokenType.StartArray)
                    {
                        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                            if (ReadString(ref reader, name, ref issues) is { } m) messages.Add(m);
                    }
                    else if (ReadString(ref reader, name, ref issues) is { } single)
                    {
                        messages.Add(single);
                    }
                    map[name] = messages;
                }
                fieldErrors = map;
                return null;
            case JsonTokenType.StartArray:
                var all = ReadStringArray(ref reader, field, ref issues);
                return all is null ? null : string.Join(" ", all);
            default:
                return ReadString(ref reader, field, ref issues);
        }
    }

    public static IReadOnlyList<string>? ReadStringArray(ref Utf8JsonReader reader, string field, ref List<WireIssue>? issues)
    {
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType != JsonTokenType.StartArray) return Mismatch<IReadOnlyList<string>>(ref reader, field, "an array", ref issues);
        var list = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            if (ReadString(ref reader, field, ref issues) is { } s) list.Add(s);
        return list;
    }

    public static IReadOnlyList<double>? ReadNumberArray(ref Utf8JsonReader reader, string field, ref List<WireIssue>? issues)
    {
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType != JsonTokenType.StartArray) return Mismatch<IReadOnlyList<double>>(ref reader, field, "an array", ref issues);
        var list = new List<double>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            if (ReadDouble(ref reader, field, ref issues) is { } d) list.Add(d);
        return list;
    }

    public static IReadOnlyList<JsonElement>? ReadElementArray(ref Utf8JsonReader reader, string field, ref List<WireIssue>? issues)
    {
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType != JsonTokenType.StartArray) return Mismatch<IReadOnlyList<JsonElement>>(ref reader, field, "an array", ref issues);
        var list = new List<JsonElement>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            list.Add(JsonElement.ParseValue(ref reader));
        return list;
    }

    /// <summary>Records that the value has the wrong JSON type and skips it.</summary>
    public static T? Mismatch<T>(ref Utf8JsonReader reader, string field, string expected, ref List<WireIssue>? issues)
    {
        reader.Skip();
        (issues ??= new List<WireIssue>()).Add(new WireIssue(field, $"The {Words(field)} must be {expected}."));
        return default;
    }

    public static void Mismatch(ref Utf8JsonReader reader, string field, string expected, ref List<WireIssue>? issues)
        => Mismatch<object>(ref reader, field, expected, ref issues);

    /// <summary>"num_inference_steps" -> "num inference steps", as Laravel words field names in messages.</summary>
    public static string Words(string field) => field.Replace('_', ' ');

    public static bool TryParseNumber(string text, out double value)
        => double.TryParse(text.Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value)
           && double.IsFinite(value);

    private static T? Issue<T>(string field, string problem, ref List<WireIssue>? issues) where T : struct
    {
        AddIssue(field, problem, ref issues);
        return null;
    }

    private static IReadOnlyList<double>? ListIssue(string field, string problem, ref List<WireIssue>? issues)
    {
        AddIssue(field, problem, ref issues);
        return null;
    }

    private static void AddIssue(string field, string problem, ref List<WireIssue>? issues)
        => (issues ??= new List<WireIssue>()).Add(new WireIssue(field, $"The {Words(field)} {problem}"));

    private static ReadOnlySpan<byte> TrimAscii(ReadOnlySpan<byte> span)
    {
        while (span.Length > 0 && span[0] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r') span = span[1..];
        while (span.Length > 0 && span[^1] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r') span = span[..^1];
        return span;
    }

    private static bool IsWhole(double d) => double.IsFinite(d) && Math.Floor(d) == d && Math.Abs(d) < 9.2e18;

    private static string RawText(ref Utf8JsonReader reader)
        => reader.HasValueSequence ? Encoding.UTF8.GetString(reader.ValueSequence.ToArray()) : Encoding.UTF8.GetString(reader.ValueSpan);

    private static List<string> SplitCsv(string text)
    {
        var list = new List<string>();
        foreach (var part in text.Split(','))
        {
            var trimmed = part.Trim();
            if (trimmed.Length > 0) list.Add(trimmed);
        }
        return list;
    }
}
