using SdApi.SpecDiff.Model;

namespace SdApi.SpecDiff.Compare;

/// <summary>Collects changes while the comparers walk every operation. A schema shared by several operations is
/// reported once, listing all of them.</summary>
internal sealed class ChangeCollector
{
    public static readonly string[] Callers = ["callers"];
    public static readonly string[] Servers = ["servers"];
    public static readonly string[] Both = ["callers", "servers"];

    private readonly Dictionary<(string Kind, string Location, string? Old, string? New), Entry> _entries = [];

    /// <summary>The operation whose schemas are being walked.</summary>
    public string CurrentOperation { get; set; } = "";

    public void Breaking(string kind, string location, IReadOnlyList<string> affects, string message, string? old = null, string? @new = null) =>
        Add(ChangeSeverity.Breaking, kind, location, affects, message, old, @new);

    public void Safe(string kind, string location, string message, string? old = null, string? @new = null) =>
        Add(ChangeSeverity.Safe, kind, location, [], message, old, @new);

    /// <summary>The newer schema accepts fewer values: breaks callers when they send it, harmless when servers send it.</summary>
    public void Narrowed(Direction direction, string kind, string location, string message, string? old = null, string? @new = null)
    {
        if (direction == Direction.Request)
            Breaking(kind, location, Callers, message + "; requests valid before may now be rejected", old, @new);
        else
            Safe(kind, location, message, old, @new);
    }

    /// <summary>The newer schema accepts more values: harmless when callers send it, breaks callers when servers send it.</summary>
    public void Widened(Direction direction, string kind, string location, string message, string? old = null, string? @new = null)
    {
        if (direction == Direction.Response)
            Breaking(kind, location, Callers, message + "; callers may now receive values they did not expect", old, @new);
        else
            Safe(kind, location, message, old, @new);
    }

    public IReadOnlyList<SpecChange> ToChanges() =>
        _entries.Values
            .Select(e => new SpecChange(e.Severity, e.Key.Kind, e.Key.Location, [.. e.Operations], e.Affects, e.Message, e.Key.Old, e.Key.New))
            .OrderByDescending(c => c.Severity)
            .ThenBy(c => c.Location, StringComparer.Ordinal)
            .ThenBy(c => c.Kind, StringComparer.Ordinal)
            .ToList();

    private void Add(ChangeSeverity severity, string kind, string location, IReadOnlyList<string> affects, string message, string? old, string? @new)
    {
        var key = (kind, location, old, @new);
        if (!_entries.TryGetValue(key, out var entry))
            _entries[key] = entry = new Entry(key, severity, affects, message);
        if (CurrentOperation.Length > 0 && !entry.Operations.Contains(CurrentOperation))
            entry.Operations.Add(CurrentOperation);
    }

    private sealed record Entry((string Kind, string Location, string? Old, string? New) Key, ChangeSeverity Severity, IReadOnlyList<string> Affects, string Message)
    {
        public List<string> Operations { get; } = [];
    }
}
