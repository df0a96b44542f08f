using System.Text.Json.Nodes;
using SdApi.Contract.Mappings;
using SdApi.Contract.Tests.Harness;
using Xunit.Abstractions;

namespace SdApi.Contract.Tests.Mappings;

/// <summary>The spec-derived mappings loaded into a real WireMock, exercised with plain HTTP.</summary>
public sealed class WireMockStubTests(WireMockFixture wireMock, ITestOutputHelper output) : WireMockTest(wireMock, output)
{
    [Theory]
    [MemberData(nameof(SpecFiles.RequestExamples), MemberType = typeof(SpecFiles))]
    public Task Every_example_request_matches_its_schema_stub(string operationId, string example) => RunAsync(async () =>
    {
        var operation = WireMock.Spec.Operation(operationId);
        var body = operation.RequestExamples.Single(e => e.Name == example).Value!.DeepClone().AsObject();
        body["key"] = "test-key";
        var (status, answer) = await RawHttp.PostAsync(WireMock.BaseUrl, operation.ConcretePath(), body);
        status.Should().Be(200);
        answer!["status"]!.GetValue<string>().Should().Be("success");
        await ExpectRequestsAsync(1);
    });

    [Theory]
    [MemberData(nameof(SpecFiles.OperationIds), MemberType = typeof(SpecFiles))]
    public Task Invalid_rows_the_table_says_the_schema_catches_are_left_unmatched(string operationId) => RunAsync(async () =>
    {
        var operation = WireMock.Spec.Operation(operationId);
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var rows = WireMock.Edges.Rows.Where(r => r.Operation == operationId && !r.Valid).ToList();
        await Parallel.ForEachAsync(rows, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (row, _) =>
        {
            var (status, _) = await RawHttp.PostAsync(WireMock.BaseUrl, operation.ConcretePath(), WireMock.Edges.Body(row));
            // 404 is WireMock's "no stub matched". A row flagged schema:false may still be caught (format: uri is
            // asserted by WireMock's validator; draft 7 leaves that optional), so only the flagged rows are pinned.
            if (row.Schema && status != 404)
                failures.Add($"{row.Id}: the table says JSON Schema rejects it, WireMock's matchesJsonSchema answered {status}");
        });
        failures.Should().BeEmpty("the derived schema must reject every row the table says JSON Schema rejects");
    });

    [Fact]
    public Task A_body_that_breaks_the_schema_is_left_unmatched_with_a_near_miss() => RunAsync(async () =>
    {
        var operation = WireMock.Spec.Operation("v4Text2Img");
        var body = WireMock.Edges.Bases[operation.OperationId].DeepClone().AsObject();
        body["width"] = new JsonObject { ["not"] = "a number" };
        var (status, _) = await RawHttp.PostAsync(WireMock.BaseUrl, operation.ConcretePath(), body);
        status.Should().Be(404);
        (await Admin.GetUnmatchedAsync()).Should().ContainSingle();
        (await Admin.GetNearMissesAsync()).Should().Contain(n => n.Stub.StartsWith("v4Text2Img", StringComparison.Ordinal));
    });

    [Theory]
    [InlineData("v4Text2Img", "v4FetchById")]
    [InlineData("v6Text2Img", "v6Fetch")]
    public Task Polling_scenario_answers_processing_then_processing_then_success(string generateId, string fetchId) => RunAsync(async () =>
    {
        var generate = WireMock.Spec.Operation(generateId);
        var body = WireMock.Edges.Bases[generateId].DeepClone().AsObject();
        body["key"] = MockKeys.Processing;
        var (_, first) = await RawHttp.PostAsync(WireMock.BaseUrl, generate.ConcretePath(), body);
        first!["status"]!.GetValue<string>().Should().Be("processing");
        if (first["fetch_result"] is JsonValue link)
            link.GetValue<string>().Should().StartWith(WireMock.BaseUrl.ToString().TrimEnd('/'), "fetch_result must point at the mock");

        var fetch = WireMock.Spec.Operation(fetchId);
        var fetchBody = WireMock.Edges.Bases[fetchId].DeepClone().AsObject();
        fetchBody["key"] = MockKeys.Processing;
        var (_, second) = await RawHttp.PostAsync(WireMock.BaseUrl, fetch.ConcretePath(), fetchBody);
        second!["status"]!.GetValue<string>().Should().Be("processing");
        var (_, third) = await RawHttp.PostAsync(WireMock.BaseUrl, fetch.ConcretePath(), fetchBody);
        third!["status"]!.GetValue<string>().Should().Be("success");
        (await Admin.GetScenariosAsync()).Should().Contain(s => s.Name == MappingGenerator.PollingScenario && s.State == "running");
        await ExpectRequestsAsync(3);
    });

    [Theory]
    [InlineData(MockKeys.RateLimitOnce, 429)]
    [InlineData(MockKeys.ServerErrorOnce, 503)]
    public Task Once_keys_fail_first_then_succeed(string key, int firstStatus) => RunAsync(async () =>
    {
        var body = WireMock.Edges.Bases["v6Text2Img"].DeepClone().AsObject();
        body["key"] = key;
        var path = WireMock.Spec.Operation("v6Text2Img").ConcretePath();
        var (status, answer) = await RawHttp.PostAsync(WireMock.BaseUrl, path, body);
        status.Should().Be(firstStatus);
        if (firstStatus == 429)
            answer!["retry_after"]!.GetValue<double>().Should().Be(WireMockFixture.TestOptions.RetryAfterSeconds);
        (await RawHttp.PostAsync(WireMock.BaseUrl, path, body)).Status.Should().Be(200);
        await ExpectRequestsAsync(2);
    });

    [Fact]
    public Task Connection_reset_key_drops_the_connection_once() => RunAsync(async () =>
    {
        var body = WireMock.Edges.Bases["v4Img2Img"].DeepClone().AsObject();
        body["key"] = MockKeys.ConnectionResetOnce;
        var path = WireMock.Spec.Operation("v4Img2Img").ConcretePath();
        var act = () => RawHttp.PostAsync(WireMock.BaseUrl, path, body);
        await act.Should().ThrowAsync<HttpRequestException>();
        (await RawHttp.PostAsync(WireMock.BaseUrl, path, body)).Status.Should().Be(200);
    });
}
