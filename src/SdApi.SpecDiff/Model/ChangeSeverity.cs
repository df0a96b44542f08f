namespace SdApi.SpecDiff.Model;

/// <summary>Whether regenerating the bindings from the newer spec breaks existing callers or servers.</summary>
public enum ChangeSeverity
{
    /// <summary>Additive or loosening: existing callers and servers keep working.</summary>
    Safe,

    /// <summary>Existing callers or servers stop compiling, or requests/responses they exchange become invalid.</summary>
    Breaking,
}
