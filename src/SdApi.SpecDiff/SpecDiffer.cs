using SdApi.SpecDiff.Compare;
using SdApi.SpecDiff.Model;
using SdApi.SpecDiff.Reading;

namespace SdApi.SpecDiff;

/// <summary>Entry point: what regenerating the bindings from the newer spec breaks for callers and for servers.</summary>
public static class SpecDiffer
{
    /// <exception cref="SpecReadException">a file is missing, not YAML, not OpenAPI 3, or has a broken $ref.</exception>
    public static DiffReport CompareFiles(string oldPath, string newPath) =>
        Compare(SpecDocument.Load(oldPath), SpecDocument.Load(newPath));

    public static DiffReport Compare(SpecDocument oldSpec, SpecDocument newSpec)
    {
        ArgumentNullException.ThrowIfNull(oldSpec);
        ArgumentNullException.ThrowIfNull(newSpec);
        var sink = new ChangeCollector();
        new OperationComparer(oldSpec, newSpec, sink).CompareAll();
        return new DiffReport(oldSpec.DisplayName, newSpec.DisplayName, sink.ToChanges());
    }
}
