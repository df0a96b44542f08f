using System.Text.Json;
using System.Text.Json.Nodes;
using SdApi.Server.Tests.Infrastructure;

namespace SdApi.Server.Tests;

/// <summary>One server for the whole edge table: generations never start (the gate stays shut), so accepted rows
/// just queue; image URLs of the table (example.com) are served by a local receiver on the allow-list.</summary>
public sealed class EdgeValueFixture : IAsyncLifetime
{
    public Receiver Receiver { get; private set; } = null!;
    public ServerHost Host { get; private set; } = null!;

    /// <summary>A job of this fixture's key: fetch rows ask for it instead of the table's id, so a valid fetch row gets
    /// the job's answer (processing: the gate stays shut) rather than "not found".</summary>
    public long JobId { get; private set; }

    public async Task InitializeAsync()
    {
        Receiver = await Receiver.StartAsync();
        Host = await ServerHost.StartAsync(new Dictionary<string, string?>
        {
            ["SdApi:Jobs:SyncBudget"] = "00:00:00",
            ["SdApi:Limits:MaxQueuedPerKey"] = "100000",
            ["SdApi:UrlFetch:AllowedHosts:0"] = "127.0.0.1",
        }, new GatedGenerator().Install);
        var accepted = await Host.PostAsync("/api/v6/images/text2img", Bodies.Text2Img());
        JobId = accepted.Body.GetProperty("id").GetInt64();
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}

/// <summary>Every row of spec/edge-values.json over HTTP: invalid rows get the API's validation shape naming the row's
/// field with the row's HTTP status; valid rows get the operation's success answer (generate: processing with id,
/// fetch_result and the effective parameters in meta; fetch: the job's state; model_reload: success or processing).</summary>
public sealed class EdgeValueTests(EdgeValueFixture fixture) : IClassFixture<EdgeValueFixture>
{
    private static readonly JsonObject Table = JsonNode.Parse(File.ReadAllText(SdApi.Tests.Shared.RepoPaths.Combine("spec", "edge-values.json")))!.AsObject();

    private static readonly Dictionary<string, string> Paths = new()
    {
        ["v4Text2Img"] = "/api/v4/dreambooth",
        ["v4Img2Img"] = "/api/v4/dreambooth/img2img",
        ["v4Inpaint"] = "/api/v4/dreambooth/inpaint",
        ["v4Fetch"] = "/api/v4/dreambooth/fetch",
        ["v4FetchById"] = "/api/v4/dreambooth/fetch/{id}",
        ["v4ModelReload"] = "/api/v4/dreambooth/model_reload",
        ["v6Text2Img"] = "/api/v6/images/text2img",
        ["v6Img2Img"] = "/api/v6/images/img2img",
        ["v6Inpaint"] = "/api/v6/images/inpaint",
        ["v6Fetch"] = "/api/v6/images/fetch",
        ["v6FetchById"] = "/api/v6/images/fetch/{id}",
        ["v6ModelReload"] = "/api/v6/images/model_reload",
        ["v3FetchById"] = "/api/v3/dreambooth/fetch/{id}",
    };

    public static TheoryData<string> RowIds()
    {
        var data = new TheoryData<string>();
        foreach (var row in Table["rows"]!.AsArray())
            data.Add(row!["id"]!.GetValue<string>());
        return data;
    }

    [Fact]
    public void The_table_covers_every_operation()
    {
        Table["rows"]!.AsArray().Select(r => r!["operation"]!.GetValue<string>()).Distinct().Should().BeEquivalentTo(Paths.Keys);
    }

    [Theory]
    [MemberData(nameof(RowIds))]
    public async Task Edge_row(string rowId)
    {
        var row = Table["rows"]!.AsArray().Single(r => r!["id"]!.GetValue<string>() == rowId)!.AsObject();
        var operation = row["operation"]!.GetValue<string>();
        var body = Table["bases"]![operation]!.DeepClone().AsObject();
        foreach (var (name, value) in row["patch"]!.AsObject())
        {
            if (value is null)
                body.Remove(name);
            else
                body[name] = value.DeepClone();
        }
        foreach (var image in new[] { "init_image", "mask_image" })
            if (body[image] is JsonValue v && v.TryGetValue<string>(out var url) && url.Contains("://example.com/", StringComparison.Ordinal)
                && url.StartsWith("http", StringComparison.Ordinal))
                body[image] = fixture.Receiver.Url("image.png");
        var path = Paths[operation];
        var jobId = fixture.JobId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (Table["pathParams"]![operation] is JsonObject pathParams)
            foreach (var (name, _) in pathParams)
                path = path.Replace("{" + name + "}", jobId, StringComparison.Ordinal);
        if (body["request_id"] is JsonValue requestId && Table["bases"]![operation]!["request_id"] is { } baseId
            && requestId.ToJsonString() == baseId.ToJsonString())
            body["request_id"] = fixture.JobId;

        var answer = await fixture.Host.PostAsync(path, body);

        answer.StatusCode.Should().NotBe(500, answer.Text);
        answer.Json.Should().NotBeNull(answer.Text);
        if (row["valid"]!.GetValue<bool>())
        {
            SuccessShape(operation, answer);
            // The row's expected warnings come back in meta.warnings (an extra member), none when it expects none.
            var expected = row["warnings"]?.AsArray().Select(w => w!.GetValue<string>()).ToList() ?? [];
            if (answer.Body.TryGetProperty("meta", out var meta))
            {
                var warned = meta.TryGetProperty("warnings", out var list) && list.ValueKind == System.Text.Json.JsonValueKind.Array
                    ? list.EnumerateArray().Select(w => w.GetProperty("rule").GetString()!).Distinct().ToList() : [];
                warned.Should().BeEquivalentTo(expected, answer.Text);
            }
            else
                new[] { "v4Text2Img", "v4Img2Img", "v4Inpaint", "v6Text2Img", "v6Img2Img", "v6Inpaint" }.Should().NotContain(operation, "a generation answer carries meta: " + answer.Text);
        }
        else
        {
            var field = row["field"]!.GetValue<string>();
            var status = row["x-sdapi-http-status"]?.GetValue<int>() ?? 400;
            answer.StatusCode.Should().Be(status, answer.Text);
            answer.Status.Should().Be("error");
            answer.Body.GetProperty("message").ValueKind.Should().Be(JsonValueKind.Object, answer.Text);
            answer.Fields.Should().Contain(field, answer.Text);
        }
    }

    /// <summary>What a valid row must get: the success answer of its operation's kind, read back by the generated reader
    /// without wire issues.</summary>
    private void SuccessShape(string operation, ApiAnswer answer)
    {
        answer.StatusCode.Should().Be(200, answer.Text);
        var outcome = SdApi.Bindings.Outcome.FromJson(answer.Text);
        if (operation.EndsWith("Fetch", StringComparison.Ordinal) || operation.EndsWith("FetchById", StringComparison.Ordinal))
        {
            outcome.Should().BeOfType<SdApi.Bindings.ProcessingResponse>(answer.Text).Which.WireIssues.Should().BeNullOrEmpty(answer.Text);
            answer.Body.GetProperty("id").GetInt64().Should().Be(fixture.JobId, answer.Text);
            answer.Body.GetProperty("output").GetString().Should().Be("", answer.Text);
        }
        else if (operation.EndsWith("ModelReload", StringComparison.Ordinal))
        {
            outcome.Kind.Should().BeOneOf([SdApi.Bindings.OutcomeKind.Success, SdApi.Bindings.OutcomeKind.Processing], answer.Text);
        }
        else
        {
            outcome.Should().BeOfType<SdApi.Bindings.ProcessingResponse>(answer.Text).Which.WireIssues.Should().BeNullOrEmpty(answer.Text);
            answer.Body.GetProperty("id").ValueKind.Should().Be(JsonValueKind.Number, answer.Text);
            answer.Body.GetProperty("fetch_result").GetString().Should().StartWith("http", answer.Text);
            answer.Body.GetProperty("eta").GetDouble().Should().BePositive(answer.Text);
            var meta = answer.Body.GetProperty("meta");
            meta.GetProperty("W").GetInt32().Should().BePositive(answer.Text);
            meta.GetProperty("H").GetInt32().Should().BePositive(answer.Text);
            meta.GetProperty("steps").GetInt32().Should().BePositive(answer.Text);
            meta.GetProperty("n_samples").GetInt32().Should().BeInRange(1, 4, answer.Text);
            meta.GetProperty("seed").GetInt64().Should().BeGreaterThanOrEqualTo(0, answer.Text);
            meta.GetProperty("scheduler").GetString().Should().NotBeNullOrEmpty(answer.Text);
            meta.GetProperty("safety_checker").GetString().Should().BeOneOf(["yes", "no"], answer.Text);
            meta.GetProperty("id").GetString().Should().Be(answer.Body.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture));
            meta.TryGetProperty("key", out _).Should().BeFalse("the key is never echoed");
        }
    }
}
