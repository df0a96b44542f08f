using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using SdApi.Contract.Prism;
using SdApi.Contract.Schemas;
using SdApi.Contract.Spec;
using SdApi.Contract.Tests.Harness;
using SdApi.Contract.Verify;
using Xunit.Abstractions;

namespace SdApi.Contract.Tests.Provider;

/// <summary>Provider side: the reference server behind Prism (<c>prism proxy --errors</c>). Every example request goes
/// through Prism; a request or response violation Prism reports fails the test. (The edge rows go through Prism once, in
/// the agreement matrix: tests/SdApi.Contract.Tests/Matrix.)</summary>
[Collection(ProviderCollection.Name)]
public sealed class PrismProviderTests(ProviderFixture provider, ITestOutputHelper output)
{
    private static readonly ResponseConformance Conformance = new(SpecFiles.Spec);

    [Theory]
    [MemberData(nameof(SpecFiles.RequestExamples), MemberType = typeof(SpecFiles))]
    public async Task Example_request_passes_Prism_both_ways(string operationId, string example)
    {
        var operation = SpecFiles.Spec.Operation(operationId);
        var body = operation.RequestExamples.Single(e => e.Name == example).Value!.DeepClone().AsObject();
        body["key"] = ReferenceServer.Key;
        var mark = provider.Prism.LogLength;

        var exchange = await Exchange.PostAsync(provider.Prism.BaseUrl, operation.ConcretePath(), body);

        var failures = Check(operation, exchange, expectInvalidField: null, schemaCatches: false);
        if (failures.Count > 0) output.WriteLine(provider.Prism.LogSince(mark));
        failures.Should().BeEmpty();
    }

    /// <summary>What is wrong with one exchange through Prism.</summary>
    private static List<string> Check(SpecOperation operation, Exchange exchange, string? expectInvalidField, bool schemaCatches)
    {
        var failures = new List<string>();
        var prism = PrismAnswer.Read(exchange.Status, exchange.MediaType, exchange.Body, exchange.ViolationHeaders);
        failures.AddRange(prism.ResponseViolations.Select(v => $"Prism: the server's answer breaks the spec: {v} ({exchange})"));

        if (expectInvalidField is not null && (schemaCatches || prism.RequestViolations.Count > 0))
        {
            // The JSON Schema rejects this body (always when the table says so; `format: uri` may catch more, since
            // draft 7 leaves format assertion to the validator): Prism answers 422 itself and must name the field.
            if (!prism.RequestViolations.Any(v => v.Field == expectInvalidField))
                failures.Add($"expected Prism to reject the request naming '{expectInvalidField}', got {exchange}");
            return failures;
        }

        failures.AddRange(prism.RequestViolations.Select(v => $"Prism: the request breaks the spec: {v}"));
        var verdict = exchange.Verdict;
        if (expectInvalidField is null && verdict.Kind == VerdictKind.ValidationError)
            failures.Add($"expected the request to be accepted, the server answered {verdict}");
        if (expectInvalidField is not null && !verdict.Rejects(expectInvalidField))
            failures.Add($"expected the server to reject the request naming '{expectInvalidField}', got {verdict}");
        if (prism.RequestViolations.Count == 0 && exchange.MediaType != "application/problem+json")
            failures.AddRange(Conformance.Check(operation, exchange.Status, exchange.Body).Select(v => $"response schema: {v}"));
        return failures;
    }
}
