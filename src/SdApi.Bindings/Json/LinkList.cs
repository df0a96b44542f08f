using System.Collections;

namespace SdApi.Bindings.Json;

/// <summary>The empty <c>output</c>/<c>proxy_links</c> the API sends as <c>""</c> (fetch while processing, failed):
/// an empty list that remembers its wire form so writing gives <c>""</c> back.</summary>
public sealed class LinkList : IReadOnlyList<string>
{
    private LinkList() { }

    public static LinkList EmptyString { get; } = new();

    public int Count => 0;

    public string this[int index] => throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<string> GetEnumerator() => Enumerable.Empty<string>().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => "\"\"";
}
