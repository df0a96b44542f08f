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

    public async Task InitializeAsync()
    {
        Receiver = await Receiver.StartAsync();
        Host = await ServerHost.StartAsync(new Dictionary<string, string?>
        {
            ["SdApi:Jobs:SyncBudget"] = "00:00:00",
            ["SdApi:Limits:MaxQueuedPerKey"] = "100000",
            ["SdApi:UrlFetch:AllowedHosts:0"] = "127.0.0.1",
        }, new GatedGenerator().Install);
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}

/// <summary>Every row of spec/edge-values.json over HTTP: invalid rows get the API's validation shape naming the row's
/// field with the row's HTTP status; valid rows are not refused by validation.</summary>
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
        if (Table["pathParams"]![operation] is JsonObject pathParams)
            foreach (var (name, value) in pathParams)
                path = path.Replace("{" + name + "}", value!.GetValue<string>(), StringComparison.Ordinal);

        var answer = await fixture.Host.PostAsync(path, body);

        answer.StatusCode.Should().NotBe(500, answer.Text);
        answer.Json.Should().NotBeNull(answer.Text);
        if (row["valid"]!.GetValue<bool>())
        {
            answer.StatusCode.Should().NotBe(400, answer.Text);
            answer.StatusCode.Should().NotBe(401, answer.Text);
            answer.Fields.Should().BeEmpty(answer.Text);
            // The row's expected warnings come back in meta.warnings (an extra member), none when it expects none.
            var expected = row["warnings"]?.AsArray().Select(w => w!.GetValue<string>()).ToList() ?? [];
            if (answer.Body.TryGetProperty("meta", out var meta))
            {
                var warned = meta.TryGetProperty("warnings", out var list) ? list.EnumerateArray().Select(w => w.GetProperty("rule").GetString()!).Distinct().ToList() : [];
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
}
