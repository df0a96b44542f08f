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

    /// <summary>Issue 11's examples: numbers sent as strings no longer escape the bounds.</summary>
    [Theory]
    [InlineData("width", "1025")]
    [InlineData("samples", "5")]
    [InlineData("clip_skip", "0")]
    [InlineData("clip_skip", "9")]
    public Task A_numeric_string_out_of_bounds_gets_the_APIs_error_naming_the_field(string field, string value) => RunAsync(async () =>
    {
        var operation = WireMock.Spec.Operation("v4Text2Img");
        var body = WireMock.Edges.Bases[operation.OperationId].DeepClone().AsObject();
        body[field] = value;
        var (status, answer) = await RawHttp.PostAsync(WireMock.BaseUrl, operation.ConcretePath(), body);
        status.Should().Be(400);
        answer!["status"]!.GetValue<string>().Should().Be("error");
        var rule = RequestRules.For(WireMock.Spec, operation).Rules.Single(r => r.Field == field && r.Check == "range");
        answer["message"]![field]!.AsArray().Select(m => m!.GetValue<string>()).Should().Equal(rule.Message);
        (await Admin.GetUnmatchedAsync()).Should().BeEmpty();
    });

    [Fact]
    public Task Strengths_that_do_not_pair_with_the_LoRA_ids_are_refused_naming_lora_strength() => RunAsync(async () =>
    {
        var operation = WireMock.Spec.Operation("v6Text2Img");
        var body = WireMock.Edges.Bases[operation.OperationId].DeepClone().AsObject();
        body["lora_model"] = "more_details,animie,ghibli";
        body["lora_strength"] = "0.5,0.6";
        var (status, answer) = await RawHttp.PostAsync(WireMock.BaseUrl, operation.ConcretePath(), body);
        status.Should().Be(400);
        answer!["message"]!.AsObject().Select(p => p.Key).Should().Equal("lora_strength");

        body["lora_strength"] = "0.5,0.6,0.7";
        (await RawHttp.PostAsync(WireMock.BaseUrl, operation.ConcretePath(), body)).Status.Should().Be(200);
    });

    [Fact]
    public Task A_body_that_breaks_a_fields_wire_type_gets_the_APIs_error_naming_it() => RunAsync(async () =>
    {
        var operation = WireMock.Spec.Operation("v4Text2Img");
        var body = WireMock.Edges.Bases[operation.OperationId].DeepClone().AsObject();
        body["width"] = new JsonObject { ["not"] = "a number" };
        var (status, answer) = await RawHttp.PostAsync(WireMock.BaseUrl, operation.ConcretePath(), body);
        status.Should().Be(400);
        answer!["message"]!.AsObject().Select(p => p.Key).Should().Equal("width");
        (await Admin.GetUnmatchedAsync()).Should().BeEmpty();
    });

    [Fact]
    public Task A_missing_key_gets_the_status_the_edge_table_gives_it() => RunAsync(async () =>
    {
        var operation = WireMock.Spec.Operation("v6Img2Img");
        var body = WireMock.Edges.Bases[operation.OperationId].DeepClone().AsObject();
        body.Remove("key");
        var (status, answer) = await RawHttp.PostAsync(WireMock.BaseUrl, operation.ConcretePath(), body);
        var row = WireMock.Edges.Rows.First(r => r.Operation == operation.OperationId && r.Field == "key" && !r.Valid);
        status.Should().Be(row.HttpStatus);
        answer!["message"]!.AsObject().Select(p => p.Key).Should().Equal("key");
    });

    [Fact]
    public Task A_body_that_is_not_an_object_gets_the_APIs_error_shape_not_a_404() => RunAsync(async () =>
    {
        var (status, answer) = await RawHttp.PostAsync(WireMock.BaseUrl, WireMock.Spec.Operation("v6Fetch").ConcretePath(), new JsonArray(1, 2));
        status.Should().Be(400);
        answer!["status"]!.GetValue<string>().Should().Be("error");
        answer["message"]!.GetValue<string>().Should().NotBeNullOrWhiteSpace();
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
