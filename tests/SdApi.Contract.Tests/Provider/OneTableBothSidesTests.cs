using System.Collections.Concurrent;
using System.Text;
using SdApi.Bindings;
using SdApi.Contract.Tests.Harness;
using SdApi.Contract.Verify;

namespace SdApi.Contract.Tests.Provider;

/// <summary>One edge-value table, both sides: for every row, the reference server over HTTP and the generated client
/// validator give the table's verdict and name the table's field; the server uses the row's HTTP status.</summary>
[Collection(ProviderCollection.Name)]
public sealed class OneTableBothSidesTests(ProviderFixture provider)
{
    [Theory]
    [MemberData(nameof(SpecFiles.OperationIds), MemberType = typeof(SpecFiles))]
    public async Task Server_and_client_validator_agree_with_the_table(string operationId)
    {
        var operation = SpecFiles.Spec.Operation(operationId);
        var generated = SdApiOperations.FindById(operationId);
        generated.Should().NotBeNull($"the generated catalog must list {operationId}");
        var failures = new ConcurrentBag<string>();

        await Parallel.ForEachAsync(SpecFiles.Edges.Rows.Where(r => r.Operation == operationId), new ParallelOptions { MaxDegreeOfParallelism = 4 },
            async (row, _) =>
            {
                var body = SpecFiles.Edges.Body(row);
                var client = generated!.ValidateJson(Encoding.UTF8.GetBytes(body.ToJsonString()));
                var clientFields = client.Violations.Select(v => v.Field).Distinct().ToList();
                var server = await Exchange.PostAsync(provider.Server.BaseUrl, operation.ConcretePath(), body);
                var verdict = server.Verdict;

                if (row.Valid)
                {
                    if (!client.IsValid) failures.Add($"{row.Id}: client validator refuses a valid row: {client}");
                    if (verdict.Kind == VerdictKind.ValidationError) failures.Add($"{row.Id}: server refuses a valid row: {verdict}");
                    return;
                }
                if (!clientFields.Contains(row.Field!))
                    failures.Add($"{row.Id}: client validator should name '{row.Field}', named [{string.Join(", ", clientFields)}]");
                if (!verdict.Rejects(row.Field!))
                    failures.Add($"{row.Id}: server should reject naming '{row.Field}', answered {verdict}");
                if (row.HttpStatus is int status && server.Status != status)
                    failures.Add($"{row.Id}: server answered HTTP {server.Status}, the table says {status}");
            });

        failures.Should().BeEmpty();
    }
}
