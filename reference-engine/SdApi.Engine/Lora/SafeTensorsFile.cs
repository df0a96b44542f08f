// Written here because the local package registry has no .NET safetensors reader; the format is small (see below).
using System.Buffers.Binary;
using System.Text.Json;

namespace SdApi.Engine.Lora;

/// <summary>Reads the safetensors format: u64 little-endian header length N, N bytes of JSON
/// <c>{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {string: string}}</c>, then the data
/// (offsets relative to byte 8 + N).</summary>
public sealed class SafeTensorsFile
{
    private readonly Dictionary<string, SafeTensor> _byName;

    private SafeTensorsFile(List<SafeTensor> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        Tensors = tensors;
        Metadata = metadata;
        _byName = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    /// <summary>Tensors in data-offset order.</summary>
    public IReadOnlyList<SafeTensor> Tensors { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    public SafeTensor this[string name] =>
        _byName.TryGetValue(name, out var t) ? t : throw new KeyNotFoundException($"No tensor named '{name}'.");

    public bool TryGet(string name, out SafeTensor tensor) => _byName.TryGetValue(name, out tensor!);

    public static SafeTensorsFile ReadFile(string path) => Read(File.ReadAllBytes(path));

    public static SafeTensorsFile Read(ReadOnlyMemory<byte> file)
    {
        var span = file.Span;
        if (span.Length < 8)
            throw new SafeTensorsException("Not a safetensors file: shorter than its 8-byte header length.");
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(span);
        if (headerLength > (ulong)(span.Length - 8) || headerLength > 100_000_000)
            throw new SafeTensorsException($"Not a safetensors file: header length {headerLength} exceeds the file.");
        var dataStart = 8 + (int)headerLength;
        var data = file[dataStart..];
        JsonDocument header;
        try
        {
            header = JsonDocument.Parse(file.Slice(8, (int)headerLength));
        }
        catch (JsonException e)
        {
            throw new SafeTensorsException("Not a safetensors file: the header is not JSON.", e);
        }
        using (header)
        {
            if (header.RootElement.ValueKind != JsonValueKind.Object)
                throw new SafeTensorsException("Not a safetensors file: the header is not a JSON object.");
            var tensors = new List<(long Offset, SafeTensor Tensor)>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var entry in header.RootElement.EnumerateObject())
            {
                if (entry.Name == "__metadata__")
                {
                    foreach (var m in entry.Value.EnumerateObject())
                        metadata[m.Name] = m.Value.ValueKind == JsonValueKind.String ? m.Value.GetString()! : m.Value.GetRawText();
                    continue;
                }
                tensors.Add(ReadEntry(entry, data));
            }
            return new SafeTensorsFile([.. tensors.OrderBy(t => t.Offset).Select(t => t.Tensor)], metadata);
        }
    }

    private static (long Offset, SafeTensor Tensor) ReadEntry(JsonProperty entry, ReadOnlyMemory<byte> data)
    {
        try
        {
            var dtype = entry.Value.GetProperty("dtype").GetString() ?? "";
            var shape = entry.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            var offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > data.Length)
                throw new SafeTensorsException($"Tensor '{entry.Name}' has data_offsets outside the file.");
            var size = SafeTensor.ElementSize(dtype);
            var count = shape.Aggregate(1L, (a, b) => a * b);
            if (size == 0)
                throw new SafeTensorsException($"Tensor '{entry.Name}' has unknown dtype '{dtype}'.");
            if (count * size != offsets[1] - offsets[0])
                throw new SafeTensorsException($"Tensor '{entry.Name}': shape [{string.Join(',', shape)}] of {dtype} needs {count * size} bytes, offsets give {offsets[1] - offsets[0]}.");
            return (offsets[0], new SafeTensor(entry.Name, dtype, shape, data[(int)offsets[0]..(int)offsets[1]]));
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new SafeTensorsException($"Tensor '{entry.Name}' has a malformed header entry.", e);
        }
    }
}
