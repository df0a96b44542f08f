using YamlDotNet.RepresentationModel;

namespace SdApi.Generator.Tests.Infrastructure;

/// <summary>Edits a copy of openapi.yaml as a YAML tree (so tests survive reformatting of the spec).</summary>
internal sealed class SpecEditor
{
    private readonly YamlStream _stream = new();

    public SpecEditor(string yaml) => _stream.Load(new StringReader(yaml));

    public YamlMappingNode Root => (YamlMappingNode)_stream.Documents[0].RootNode;

    public YamlMappingNode Map(params string[] path)
    {
        YamlNode node = Root;
        foreach (var key in path) node = ((YamlMappingNode)node).Children[new YamlScalarNode(key)];
        return (YamlMappingNode)node;
    }

    public static YamlMappingNode Parse(string yaml)
    {
        var s = new YamlStream();
        s.Load(new StringReader(yaml));
        return (YamlMappingNode)s.Documents[0].RootNode;
    }

    /// <summary>Every node of the document, depth first.</summary>
    public IEnumerable<YamlNode> All() => Root.AllNodes;

    public override string ToString()
    {
        using var writer = new StringWriter();
        _stream.Save(writer, assignAnchors: false);
        return writer.ToString();
    }
}
