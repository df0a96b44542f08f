using SdApi.Bindings;
using SdApi.Bindings.Http;
using SdApi.Testing.Tests.Harness;

namespace SdApi.Testing.Tests.Client;

/// <summary>The generated client against SdApi.Testing: what it sends for every operation and every valid edge-value row
/// the mock (the generated validator as a WireMock.Net matcher) accepts; what its validator refuses never leaves the
/// process.</summary>
public sealed class ClientOperationTests : IDisposable
{
    private readonly SdApiMockServer _mock = SdApiMockServer.Start();

    public void Dispose() => _mock.Dispose();

    // Rows that test `key` must reach the validator as written: no key from the options.
    private SdApiClient Client() => _mock.CreateClient(o => o.ApiKey = null);

    [Theory]
    [MemberData(nameof(SpecFiles.OperationIds), MemberType = typeof(SpecFiles))]
    public async Task Every_operation_sends_a_body_the_mock_accepts(string operationId)
    {
        var response = await ClientCalls.InvokeAsync(Client(), operationId, SpecFiles.Edges.Bases[operationId]);

        response.Status.Should().Be(200);
        response.Value.Kind.Should().Be(OutcomeKind.Success);
        _mock.Received.For(operationId).Should().ContainSingle().Which.Validation!.IsValid.Should().BeTrue();
        _mock.Received.Count.Should().Be(1);
    }

    [Theory]
    [MemberData(nameof(SpecFiles.OperationIds), MemberType = typeof(SpecFiles))]
    public async Task Valid_edge_rows_reach_the_mock_and_are_accepted(string operationId)
    {
        var rows = SpecFiles.Edges.Rows.Where(r => r.Operation == operationId && r.Valid).ToList();
        rows.Should().NotBeEmpty();
        var client = Client();
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(rows, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (row, _) =>
        {
            try
            {
                var response = await ClientCalls.InvokeAsync(client, row.Operation, SpecFiles.Edges.Body(row));
                if (response.Status != 200) failures.Add($"{row.Id}: HTTP {response.Status}");
            }
            catch (SdApiException ex)
            {
                failures.Add($"{row.Id}: {ex.GetType().Name}: {ex.Message}");
            }
        });
        failures.Should().BeEmpty("every valid row must pass the client validator and the mock's");
        _mock.Received.Count.Should().Be(rows.Count);
    }

    [Theory]
    [MemberData(nameof(SpecFiles.OperationIds), MemberType = typeof(SpecFiles))]
    public async Task Invalid_edge_rows_are_refused_before_sending_naming_the_field(string operationId)
    {
        var rows = SpecFiles.Edges.Rows.Where(r => r.Operation == operationId && !r.Valid).ToList();
        rows.Should().NotBeEmpty();
        var client = Client();
        var failures = new List<string>();
        foreach (var row in rows)
        {
            try
            {
                var response = await ClientCalls.InvokeAsync(client, row.Operation, SpecFiles.Edges.Body(row));
                failures.Add($"{row.Id}: sent (HTTP {response.Status}) instead of refusing '{row.Field}'");
            }
            catch (SdApiValidationException ex)
            {
                if (!ex.Result.Violations.Any(v => v.Field == row.Field))
                    failures.Add($"{row.Id}: refused naming [{string.Join(", ", ex.Result.Violations.Select(v => v.Field))}], not '{row.Field}'");
            }
        }
        failures.Should().BeEmpty();
        _mock.Received.Count.Should().Be(0);
    }
}
