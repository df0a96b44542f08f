using AnyOfTypes;
using SdApi.Bindings;
using WireMock.Admin.Mappings;
using WireMock.Matchers;
using WireMock.Models;

namespace SdApi.Testing.Matching;

/// <summary>
/// A WireMock.Net body matcher that applies the operation's generated validator: it matches a body the API accepts
/// (<see cref="MatchBehaviour.AcceptOnMatch"/>) or, with <see cref="MatchBehaviour.RejectOnMatch"/>, one it refuses.
/// Every rule holds, LoRA pairing and cross-field ones included, which a JSON-Schema matcher cannot express (and
/// WireMock.Net has none). In JSON mappings: <c>{"Name": "SdApiRequestMatcher", "Pattern": "v6Text2Img"}</c>, with
/// <see cref="SdApiMockServer.CustomMatcherMappings"/> registered in the server settings.
/// </summary>
public sealed class SdApiRequestMatcher : IStringMatcher
{
    public const string MatcherName = nameof(SdApiRequestMatcher);

    private readonly SdApiOperation _operation;

    public SdApiRequestMatcher(string operationId, MatchBehaviour matchBehaviour = MatchBehaviour.AcceptOnMatch)
    {
        _operation = SdApiOperations.FindById(operationId)
            ?? throw new ArgumentException($"The spec has no operation '{operationId}'.", nameof(operationId));
        MatchBehaviour = matchBehaviour;
    }

    public string Name => MatcherName;

    public MatchBehaviour MatchBehaviour { get; }

    public MatchOperator MatchOperator => MatchOperator.Or;

    public MatchResult IsMatch(string? input) =>
        MatchResult.From(Name, MatchBehaviour, RequestCheck.Of(_operation, input).Accepted, null);

    public AnyOf<string, StringPattern>[] GetPatterns() => [_operation.OperationId];

    public string GetCSharpCodeArguments() =>
        $"new {nameof(SdApiRequestMatcher)}(\"{_operation.OperationId}\", MatchBehaviour.{MatchBehaviour})";

    /// <summary>Builds the matcher from a JSON mapping's matcher model (the pattern is the operationId).</summary>
    public static SdApiRequestMatcher FromModel(MatcherModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var pattern = model.Pattern?.ToString() ?? throw new ArgumentException("SdApiRequestMatcher needs the operationId as Pattern.", nameof(model));
        return new SdApiRequestMatcher(pattern, model.RejectOnMatch == true ? MatchBehaviour.RejectOnMatch : MatchBehaviour.AcceptOnMatch);
    }
}
