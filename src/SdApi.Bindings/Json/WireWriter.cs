using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace SdApi.Bindings.Json;

/// <summary>Writers for the wire forms the generated <c>WriteJson</c> methods cannot write with one Utf8JsonWriter call.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)] // generated code in other assemblies calls it
public static class WireWriter
{
    /// <summary>Non-ASCII prompt text is written as is (valid JSON; the body is never embedded in HTML).</summary>
    public static JsonWriterOptions Options { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    /// <summary>Serializes a model to UTF-8 JSON, reusing a per-thread buffer and writer.</summary>
    public static byte[] ToUtf8(IJsonWritable value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        var writer = t_writer ??= new Utf8JsonWriter(buffer, Options);
        try
        {
            value.WriteJson(writer);
            writer.Flush();
            return buffer.WrittenSpan.ToArray();
        }
        finally
        {
            buffer.ResetWrittenCount();
            writer.Reset(buffer);
        }
    }

    public static void WriteIdList(Utf8JsonWriter writer, JsonEncodedText name, IReadOnlyList<string> ids)
        => writer.WriteString(name, string.Join(",", ids));

    /// <summary>One value as a number, several as <c>"0.45,0.55"</c> (how the API spells LoRA strengths).</summary>
    public static void WriteNumberList(Utf8JsonWriter writer, JsonEncodedText name, IReadOnlyList<double> values)
    {
        if (values.Count == 1)
        {
            writer.WriteNumber(name, values[0]);
            return;
        }
        var parts = new string[values.Count];
        for (var i = 0; i < parts.Length; i++) parts[i] = values[i].ToString("R", CultureInfo.InvariantCulture);
        writer.WriteString(name, string.Join(",", parts));
    }

    /// <summary>An id as it was read: a number stays a number, except one beyond a double's range (<c>1e999</c>), which
    /// is written as its text rather than as an infinity JSON cannot hold.</summary>
    public static void WriteId(Utf8JsonWriter writer, JsonEncodedText name, ApiId id)
    {
        if (id.IsNumber && long.TryParse(id.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
            writer.WriteNumber(name, n);
        else if (id.IsNumber && double.TryParse(id.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
            writer.WriteNumber(name, d);
        else
            writer.WriteString(name, id.Value);
    }

    public static void WriteStringListOrEmpty(Utf8JsonWriter writer, JsonEncodedText name, IReadOnlyList<string> links)
    {
        if (ReferenceEquals(links, LinkList.EmptyString))
        {
            writer.WriteString(name, "");
            return;
        }
        writer.WriteStartArray(name);
        foreach (var link in links) writer.WriteStringValue(link);
        writer.WriteEndArray();
    }

    public static void WriteMessage(Utf8JsonWriter writer, JsonEncodedText name, string? message, IReadOnlyDictionary<string, IReadOnlyList<string>>? fieldErrors)
    {
        if (fieldErrors is not null)
        {
            writer.WriteStartObject(name);
            foreach (var (field, messages) in fieldErrors)
            {
                writer.WriteStartArray(field);
                foreach (var m in messages) writer.WriteStringValue(m);
                writer.WriteEndArray();
            }
            writer.WriteEndObject();
        }
        else if (message is not null)
        {
            writer.WriteString(name, message);
        }
    }

    public static void WriteAdditional(Utf8JsonWriter writer, IReadOnlyDictionary<string, JsonElement>? additional)
    {
        if (additional is null) return;
        foreach (var (name, value) in additional)
        {
            writer.WritePropertyName(name);
            value.WriteTo(writer);
        }
    }
}
