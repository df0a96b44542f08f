using System.Collections.Generic;
using System.IO;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SdApi.Generator.Parsing;

/// <summary>Maps JSON pointers (<c>/paths/~1api~1v4~1dreambooth/post</c>) to their line in openapi.yaml.
/// NSwag keeps no positions, so diagnostics read the YAML once more with YamlDotNet, only when there is
/// something to report.</summary>
internal sealed class YamlLocator
{
    private readonly Dictionary<string, (Mark Start, Mark End)> _marks = new();

    public YamlLocator(string yaml)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            if (stream.Documents.Count > 0)
                Visit(stream.Documents[0].RootNode, "");
        }
        catch (YamlException)
        {
            // Malformed YAML is reported by the parser with the exception's own position.
        }
    }

    /// <summary>The 0-based line/column span of the pointer, or of its nearest known ancestor.</summary>
    public (int Line, int Column, int EndLine, int EndColumn) Find(string pointer)
    {
        var p = pointer;
        while (true)
        {
            if (_marks.TryGetValue(p, out var m))
                return ((int)m.Start.Line - 1, (int)m.Start.Column - 1, (int)m.End.Line - 1, (int)m.End.Column - 1);
            if (p.Length == 0) return (0, 0, 0, 0);
            var slash = p.LastIndexOf('/');
            p = slash <= 0 ? "" : p.Substring(0, slash);
        }
    }

    public static string Escape(string segment) => segment.Replace("~", "~0").Replace("/", "~1");

    public static string Pointer(params string[] segments)
    {
        var sb = new StringBuilder();
        foreach (var s in segments) sb.Append('/').Append(Escape(s));
        return sb.ToString();
    }

    private void Visit(YamlNode node, string pointer)
    {
        switch (node)
        {
            case YamlMappingNode map:
                foreach (var entry in map.Children)
                {
                    var key = entry.Key is YamlScalarNode scalar ? scalar.Value ?? "" : "";
                    var child = pointer + "/" + Escape(key);
                    // The key's line is where a reader looks; the span ends with the key.
                    _marks[child] = (entry.Key.Start, entry.Key.End);
                    Visit(entry.Value, child);
                }
                break;
            case YamlSequenceNode seq:
                for (var i = 0; i < seq.Children.Count; i++)
                {
                    var child = pointer + "/" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    var item = seq.Children[i];
                    _marks[child] = (item.Start, item.End.Line == item.Start.Line ? item.End : new Mark(item.Start.Index, item.Start.Line, item.Start.Column + 1));
                    Visit(item, child);
                }
                break;
        }
    }
}
