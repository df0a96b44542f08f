namespace SdApi.SpecDiff.Model;

/// <summary>Every change between two specs; breaking ones first.</summary>
public sealed record DiffReport(string OldSpec, string NewSpec, IReadOnlyList<SpecChange> Changes)
{
    public bool IsBreaking => Changes.Any(c => c.Severity == ChangeSeverity.Breaking);

    public IEnumerable<SpecChange> Breaking => Changes.Where(c => c.Severity == ChangeSeverity.Breaking);

    public IEnumerable<SpecChange> Safe => Changes.Where(c => c.Severity == ChangeSeverity.Safe);
}
