namespace SdApi.Cli.Tests.Diff;

/// <summary>One pinned spec pair: both sides are openapi.yaml with small edits (most cases edit only the newer one).
/// The verdict and change list are pinned in DiffCases/&lt;Name&gt;/expected.json.</summary>
internal sealed record DiffCase(string Name, string What, Action<SpecEditor> EditNew, Action<SpecEditor>? EditOld = null)
{
    public override string ToString() => Name;
}
