// Written here because the local package registry has no .NET safetensors writer.
using System.Buffers.Binary;
using System.Text.Json;

namespace SdApi.Engine.Lora;

/// <summary>A tensor to write: float values stored as <paramref name="DType"/> ("F32", "F16" or "BF16").</summary>
public sealed record SafeTensorEntry(string Name, IReadOnlyList<long> Shape, float[] Values, string DType = "F32");

/// <summary>Writes safetensors files. Tensors are laid out in the order given; the header is padded with spaces to a
/// multiple of 8 bytes (as the reference implementation does), so equal input gives equal bytes.</summary>
public static class SafeTensorsWriter
{
    public static byte[] Write(IEnumerable<SafeTensorEntry> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var blobs = new List<(SafeTensorEntry Entry, byte[] Bytes)>();
        foreach (var t in tensors)
        {
            if (t.Shape.Aggregate(1L, (a, b) => a * b) != t.Values.Length)
                throw new ArgumentException($"Tensor '{t.Name}': shape [{string.Join(',', t.Shape)}] does not match {t.Values.Length} values.", nameof(tensors));
            blobs.Add((t, Encode(t)));
        }
        using var json = new MemoryStream();
        using (var w = new Utf8JsonWriter(json))
        {
            w.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                w.WriteStartObject("__metadata__");
                foreach (var (k, v) in metadata)
                    w.WriteString(k, v);
                w.WriteEndObject();
            }
            long offset = 0;
            foreach (var (entry, bytes) in blobs)
            {
                w.WriteStartObject(entry.Name);
                w.WriteString("dtype", entry.DType);
                w.WriteStartArray("shape");
                foreach (var d in entry.Shape)
                    w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(offset);
                w.WriteNumberValue(offset + bytes.Length);
                w.WriteEndArray();
                w.WriteEndObject();
                offset += bytes.Length;
            }
            w.WriteEndObject();
        }
        var header = json.ToArray().ToList();
        while (header.Count % 8 != 0)
            header.Add((byte)' ');
        using var output = new MemoryStream();
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Count);
        output.Write(length);
        output.Write([.. header]);
        foreach (var (_, bytes) in blobs)
            output.Write(bytes);
        return output.ToArray();
    }

    private static byte[] Encode(SafeTensorEntry t)
    {
        var v = t.Values;
        switch (t.DType)
        {
            case "F32":
                {
                    var bytes = new byte[v.Length * 4];
                    for (var i = 0; i < v.Length; i++)
                        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), v[i]);
                    return bytes;
                }
            case "F16":
                {
                    var bytes = new byte[v.Length * 2];
                    for (var i = 0; i < v.Length; i++)
                        BinaryPrimitives.WriteHalfLittleEndian(bytes.AsSpan(i * 2), (Half)v[i]);
                    return bytes;
                }
            case "BF16":
                {
                    var bytes = new byte[v.Length * 2];
                    for (var i = 0; i < v.Length; i++)
                        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 2), ToBFloat16(v[i]));
                    return bytes;
                }
            default:
                throw new ArgumentException($"Tensor '{t.Name}': cannot write dtype '{t.DType}' (F32, F16, BF16 only).", nameof(t));
        }
    }

    /// <summary>Round-to-nearest-even truncation of a float32 to its upper 16 bits (NaN stays NaN).</summary>
    private static ushort ToBFloat16(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value))
            return (ushort)((bits >> 16) | 0x40);
        var rounding = 0x7FFFu + ((bits >> 16) & 1);
        return (ushort)((bits + rounding) >> 16);
    }
}
