using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SdApi.Contract.Mappings;

/// <summary>Writes stub mappings as WireMock JSON files (<c>DIR/mappings/*.json</c>, one stub per file), the layout
/// any WireMock reads with <c>--root-dir DIR</c>; reads such a folder back (consumers add their own files).</summary>
public static class MappingExporter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Writes the mappings; returns the files written.</summary>
    public static IReadOnlyList<string> Export(IEnumerable<JsonObject> mappings, string rootDir)
    {
        var folder = Path.Combine(rootDir, "mappings");
        Directory.CreateDirectory(folder);
        Directory.CreateDirectory(Path.Combine(rootDir, "__files"));
        var written = new List<string>();
        foreach (var mapping in mappings)
        {
            var file = Path.Combine(folder, FileName(mapping["name"]?.GetValue<string>() ?? mapping["id"]!.GetValue<string>()) + ".json");
            File.WriteAllText(file, mapping.ToJsonString(Indented) + "\n");
            written.Add(file);
        }
        return written;
    }

    /// <summary>Every stub in <c>DIR/mappings/*.json</c> (or DIR itself when it has no mappings/ folder); a file may
    /// hold one stub or <c>{"mappings": [...]}</c>.</summary>
    public static IReadOnlyList<JsonObject> Read(string dir)
    {
        var folder = Directory.Exists(Path.Combine(dir, "mappings")) ? Path.Combine(dir, "mappings") : dir;
        var list = new List<JsonObject>();
        foreach (var file in Directory.EnumerateFiles(folder, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            JsonNode? node;
            try
            {
                node = JsonNode.Parse(File.ReadAllText(file));
            }
            catch (System.Text.Json.JsonException ex)
            {
                ex.Data["file"] = file; // callers name the broken file
                throw;
            }
            if (node?["mappings"] is JsonArray many) list.AddRange(many.OfType<JsonObject>());
            else if (node is JsonObject one) list.Add(one);
        }
        return list;
    }

    private static string FileName(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-');
        return builder.ToString().Trim('-').Replace("--", "-", StringComparison.Ordinal);
    }
}
