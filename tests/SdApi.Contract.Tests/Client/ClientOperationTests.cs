using SdApi.Bindings.Http;
using SdApi.Contract.Tests.Harness;
using Xunit.Abstractions;

namespace SdApi.Contract.Tests.Client;

/// <summary>The generated client against the spec-derived WireMock stubs: what it sends for every operation and every
/// edge-value row passes the stub's request schema; what its validator refuses never leaves the process.</summary>
public sealed class ClientOperationTests(WireMockFixture wireMock, ITestOutputHelper output) : WireMockTest(wireMock, output)
{
    [Theory]
    [MemberData(nameof(SpecFiles.OperationIds), MemberType = typeof(SpecFiles))]
    public Task Every_operation_sends_a_body_the_schema_stub_accepts(string operationId) => RunAsync(async () =>
    {
        var client = ClientCalls.Create(WireMock.BaseUrl);
        var response = await ClientCalls.InvokeAsync(client, operationId, WireMock.Edges.Bases[operationId]);
        response.Status.Should().Be(200);
        response.Value.Kind.Should().Be(SdApi.Bindings.OutcomeKind.Success);
        await ExpectRequestsAsync(1);
    });

    // Rows are grouped per operation (one WireMock reset and journal check per group) to keep ~650 rows cheap;
    // every failing row is listed by id.

    [Theory]
    [MemberData(nameof(SpecFiles.OperationIds), MemberType = typeof(SpecFiles))]
    public Task Valid_edge_rows_reach_WireMock_and_match_the_schema_stub(string operationId) => RunAsync(async () =>
    {
        var rows = SpecFiles.Edges.Rows.Where(r => r.Operation == operationId && r.Valid).ToList();
        rows.Should().NotBeEmpty();
        var client = ClientCalls.Create(WireMock.BaseUrl);
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(rows, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (row, _) =>
        {
            try
            {
                var response = await ClientCalls.InvokeAsync(client, row.Operation, WireMock.Edges.Body(row));
                if (response.Status != 200) failures.Add($"{row.Id}: HTTP {response.Status}");
            }
            catch (SdApiException ex)
            {
                failures.Add($"{row.Id}: {ex.GetType().Name}: {ex.Message}");
            }
        });
        failures.Should().BeEmpty("every valid row must pass the client validator and the stub's request schema");
        await ExpectRequestsAsync(rows.Count);
    });

    [Theory]
    [MemberData(nameof(SpecFiles.OperationIds), MemberType = typeof(SpecFiles))]
    public Task Invalid_edge_rows_are_refused_before_sending_naming_the_field(string operationId) => RunAsync(async () =>
    {
        var rows = SpecFiles.Edges.Rows.Where(r => r.Operation == operationId && !r.Valid).ToList();
        rows.Should().NotBeEmpty();
        var client = ClientCalls.Create(WireMock.BaseUrl);
        var failures = new List<string>();
        foreach (var row in rows)
        {
            try
            {
                var response = await ClientCalls.InvokeAsync(client, row.Operation, WireMock.Edges.Body(row));
                failures.Add($"{row.Id}: sent (HTTP {response.Status}) instead of refusing '{row.Field}'");
            }
            catch (SdApiValidationException ex)
            {
                if (!ex.Result.Violations.Any(v => v.Field == row.Field))
                    failures.Add($"{row.Id}: refused naming [{string.Join(", ", ex.Result.Violations.Select(v => v.Field))}], not '{row.Field}'");
            }
        }
        failures.Should().BeEmpty();
        await ExpectRequestsAsync(0);
    });
}
