using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using SdApi.Bindings;
using SdApi.Testing.Tests.Harness;

namespace SdApi.Testing.Tests.Mock;

/// <summary>What SdApiMockServer answers to raw HTTP (no client validation in the way): the generated validator's
/// verdict on every edge-value row, the reference server's refusals, keyed behaviours, faults, unknown paths.</summary>
public sealed class MockAnswerTests : IDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly SdApiMockServer _mock = SdApiMockServer.Start();

    public void Dispose() => _mock.Dispose();

    [Theory]
    [MemberData(nameof(SpecFiles.OperationIds), MemberType = typeof(SpecFiles))]
    public async Task Every_edge_row_gets_the_tables_verdict_and_a_refusal_names_the_rows_field(string operationId)
    {
        var operation = SdApiOperations.FindById(operationId)!;
        var rows = SpecFiles.Edges.Rows.Where(r => r.Operation == operationId).ToList();
        rows.Should().Contain(r => !r.Valid).And.Contain(r => r.Valid);
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(rows, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (row, _) =>
        {
            var body = SpecFiles.Edges.Body(row).ToJsonString();
            var (status, answer) = await PostAsync(Path(operation), body);
            if (row.Valid)
            {
                if (status != 200 || answer?["status"]?.GetValue<string>() != "success")
                    failures.Add($"{row.Id}: valid, answered {status} {answer}");
                return;
            }
            // The reference server's answer for this body: OperationResult.Invalid over the generated validator.
            var expected = JsonNode.Parse(operation.ValidateJson(Encoding.UTF8.GetBytes(body)).ToJson());
            if (status != 400 || answer?["message"] is not JsonObject fields || !fields.ContainsKey(row.Field!))
                failures.Add($"{row.Id}: must be refused naming '{row.Field}', answered {status} {answer}");
            else if (!JsonNode.DeepEquals(answer, expected))
                failures.Add($"{row.Id}: answered {answer}, the validator's error is {expected}");
        });
        failures.Should().BeEmpty();
        _mock.Received.Count.Should().Be(rows.Count);
    }

    [Fact]
    public async Task Lora_pairing_and_cross_field_rules_hold()
    {
        // LoRA pairing (list-pairs): one strength applies to every id, n strengths pair with n ids, any other count is refused.
        var body = SpecFiles.Edges.Bases["v6Text2Img"].DeepClone().AsObject();
        body["lora_model"] = "more_details,add_detail,ghibli";
        body["lora_strength"] = "0.5,0.6";
        var (status, answer) = await PostAsync("api/v6/images/text2img", body.ToJsonString());

        status.Should().Be(400);
        answer!["message"]!.AsObject().Select(f => f.Key).Should().Equal("lora_strength");

        body["lora_strength"] = "0.5";
        (status, _) = await PostAsync("api/v6/images/text2img", body.ToJsonString());
        status.Should().Be(200, "one strength applies to every LoRA");

        // steps and num_inference_steps are one field: both given and different is refused (no JSON Schema can compare them).
        body.Remove("lora_model");
        body.Remove("lora_strength");
        body["num_inference_steps"] = 20;
        body["steps"] = 25;
        (status, answer) = await PostAsync("api/v6/images/text2img", body.ToJsonString());
        status.Should().Be(400);
        answer!["message"]!.AsObject().Select(f => f.Key).Should().Contain(f => f == "num_inference_steps" || f == "steps");
    }

    [Fact]
    public async Task Malformed_json_wrong_content_type_and_unknown_paths_get_the_APIs_error_shape()
    {
        var (status, answer) = await PostAsync("api/v6/images/text2img", "{not json");
        status.Should().Be(400);
        answer!["status"]!.GetValue<string>().Should().Be("error");
        answer["message"]!.GetValue<string>().Should().Be("The request body is not valid JSON.");

        using (var text = new StringContent(SpecFiles.Edges.Bases["v6Text2Img"].ToJsonString(), Encoding.UTF8, "text/plain"))
        using (var response = await Http.PostAsync(new Uri(_mock.BaseUrl, "api/v6/images/text2img"), text))
            response.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);

        (status, answer) = await PostAsync("api/v9/nothing", "{}");
        status.Should().Be(404);
        answer!["status"]!.GetValue<string>().Should().Be("error");
    }

    [Fact]
    public async Task Connection_reset_aborts_the_connection_instead_of_answering()
    {
        _mock.On("v6Text2Img").RespondWith(SdApiAnswer.ConnectionReset());

        var post = () => PostAsync("api/v6/images/text2img", SpecFiles.Edges.Bases["v6Text2Img"].ToJsonString());

        await post.Should().ThrowAsync<HttpRequestException>();
        _mock.Received.All.Should().ContainSingle().Which.ConnectionReset.Should().BeTrue();
        (await post()).Status.Should().Be(200, "the script answered once; then the documented success");
    }

    [Fact]
    public async Task Rate_limit_answer_carries_retry_after_in_body_and_header()
    {
        _mock.On("v4Text2Img").RespondWith(SdApiAnswer.RateLimited(retryAfterSeconds: 12));
        using var content = new StringContent(SpecFiles.Edges.Bases["v4Text2Img"].ToJsonString(), Encoding.UTF8, "application/json");

        using var response = await Http.PostAsync(new Uri(_mock.BaseUrl, "api/v4/dreambooth"), content);

        response.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(12));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        body["retry_after"]!.GetValue<int>().Should().Be(12);
        body["status"]!.GetValue<string>().Should().Be("error");
    }

    [Fact]
    public async Task Processing_job_is_fetched_processing_then_success_with_its_id()
    {
        _mock.On("v6Text2Img").RespondWith(SdApiAnswer.Processing(etaSeconds: 3, polls: 2));
        var (_, started) = await PostAsync("api/v6/images/text2img", SpecFiles.Edges.Bases["v6Text2Img"].ToJsonString());
        started!["status"]!.GetValue<string>().Should().Be("processing");
        started["eta"]!.GetValue<double>().Should().Be(3);
        var fetch = new Uri(started["fetch_result"]!.GetValue<string>());
        fetch.GetLeftPart(UriPartial.Authority).Should().Be(_mock.BaseUrl.GetLeftPart(UriPartial.Authority), "fetch_result points at the mock");
        var id = started["id"]!.ToString();
        fetch.AbsolutePath.Should().EndWith("/fetch/" + id);

        var statuses = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var (_, polled) = await PostAsync(fetch.AbsolutePath.TrimStart('/'), """{"key":"k"}""");
            statuses.Add(polled!["status"]!.GetValue<string>());
            if (i == 2) polled["id"]!.ToString().Should().Be(id);
        }
        statuses.Should().Equal("processing", "processing", "success");
    }

    [Fact]
    public async Task Slow_key_answers_after_the_configured_delay_on_the_mocks_clock()
    {
        var clock = new SteppedClock();
        using var mock = SdApiMockServer.Start(o => { o.TimeProvider = clock; o.SlowDelay = TimeSpan.FromSeconds(5); });
        var body = SpecFiles.Edges.Bases["v6Text2Img"].DeepClone().AsObject();
        body["key"] = SdApiMockKeys.Slow;
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");

        var post = Http.PostAsync(new Uri(mock.BaseUrl, "api/v6/images/text2img"), content);
        (await clock.NextTimerAsync()).Should().Be(TimeSpan.FromSeconds(5));
        post.IsCompleted.Should().BeFalse("the answer waits for the delay");
        clock.Advance(TimeSpan.FromSeconds(5));

        using var response = await post;
        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_json_mapping_can_use_the_validator_matcher_and_wins_over_the_mocks_stubs()
    {
        _mock.Server.WithMapping($$"""
            {
              "Request": { "Path": "/api/v6/images/text2img", "Methods": ["POST"],
                           "Body": { "Matcher": { "Name": "{{Matching.SdApiRequestMatcher.MatcherName}}", "Pattern": "v6Text2Img" } } },
              "Response": { "StatusCode": 200, "BodyAsJson": { "status": "error", "message": "custom stub" } }
            }
            """);

        var (_, valid) = await PostAsync("api/v6/images/text2img", SpecFiles.Edges.Bases["v6Text2Img"].ToJsonString());
        var (status, invalid) = await PostAsync("api/v6/images/text2img", """{"key":"k","prompt":"p","width":13}""");

        valid!["message"]!.GetValue<string>().Should().Be("custom stub");
        status.Should().Be(400, "the custom stub's matcher refuses the invalid body, so the mock's refusal answers");
        invalid!["message"]!.AsObject().ContainsKey("width").Should().BeTrue();
    }

    private static string Path(SdApiOperation operation) => operation.PathTemplate.Replace("{id}", "29763508", StringComparison.Ordinal).TrimStart('/');

    private async Task<(int Status, JsonNode? Body)> PostAsync(string path, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await Http.PostAsync(new Uri(_mock.BaseUrl, path), content);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, string.IsNullOrEmpty(text) ? null : JsonNode.Parse(text));
    }
}
