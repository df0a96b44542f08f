using System.Text.Json.Nodes;

namespace SdApi.Contract.Verify;

/// <summary>What a case requires of the provider's verdict.</summary>
public enum Expectation
{
    /// <summary>No validation error (success, processing, or another error such as "not found").</summary>
    NotInvalid,

    /// <summary>A validation error naming <see cref="VerifyCase.Field"/>.</summary>
    Invalid,

    /// <summary>Only response conformance is checked.</summary>
    Any,
}

/// <summary>One request replayed against the provider.</summary>
/// <param name="Suite">examples, edge-values or mappings.</param>
/// <param name="Name">the example, row or mapping it comes from.</param>
/// <param name="Problem">set when the case cannot be run (it then fails with this text).</param>
/// <param name="HttpStatus">the status the edge table says the reference server answers (checked on request only).</param>
/// <param name="Warnings">the warning rule ids an accepted answer reports in <c>meta.warnings</c> (edge rows; checked on
/// request only, null for cases that say nothing about warnings).</param>
public sealed record VerifyCase(string Suite, string Name, string OperationId, string Path, JsonObject Body, Expectation Expect,
    IReadOnlyList<string> Fields, string? Problem = null, int? HttpStatus = null, IReadOnlyList<string>? Warnings = null)
{
    public string? Field => Fields.Count > 0 ? Fields[0] : null;
}

/// <summary>The outcome of one case: the failures are empty when it passed.</summary>
public sealed record VerifyResult(VerifyCase Case, Verdict? Verdict, IReadOnlyList<string> Failures, TimeSpan Elapsed)
{
    public bool Passed => Failures.Count == 0;
}
