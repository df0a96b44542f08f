using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using SdApi.Contract.Tests.Harness;
using SdApi.Contract.Verify;

namespace SdApi.Contract.Tests.Provider;

/// <summary>`sdapi verify --warnings` compares the warning rules an accepted edge row names with the answer's
/// meta.warnings (the reference server passes it in VerifyCliTests); here a canned provider answers with too few, too
/// many or the right warnings.</summary>
public sealed class WarningVerifyTests
{
    private static readonly VerifyCase Row = new VerifyPlan(SpecFiles.Spec, "k").EdgeRows(SpecFiles.Edges)
        .First(c => c.Warnings is { Count: > 0 } && c.OperationId == "v4Text2Img");

    [Fact]
    public async Task The_rows_warnings_reported_pass()
    {
        var result = await VerifyAsync(Row.Warnings!, checkWarnings: true);
        result.Failures.Should().BeEmpty();
    }

    [Fact]
    public async Task Missing_or_extra_warnings_fail_naming_both_lists()
    {
        var missing = await VerifyAsync([], checkWarnings: true);
        missing.Failures.Should().ContainSingle().Which.Should().Contain(Row.Warnings![0]).And.Contain("got []");

        var extra = await VerifyAsync([.. Row.Warnings!, "webhook-https-v4-text2img"], checkWarnings: true);
        extra.Failures.Should().ContainSingle().Which.Should().Contain("webhook-https-v4-text2img");
    }

    [Fact]
    public async Task Without_the_option_warnings_are_not_compared()
    {
        var result = await VerifyAsync([], checkWarnings: false);
        result.Failures.Should().BeEmpty();
    }

    private static async Task<VerifyResult> VerifyAsync(IReadOnlyList<string> reported, bool checkWarnings)
    {
        var warnings = new JsonArray([.. reported.Select(r => (JsonNode)new JsonObject { ["field"] = "width", ["rule"] = r, ["message"] = "doubtful" })]);
        var answer = new JsonObject
        {
            ["status"] = "success",
            ["generationTime"] = 1.5,
            ["id"] = 7,
            ["output"] = new JsonArray("http://127.0.0.1/1.png"),
            ["meta"] = new JsonObject { ["seed"] = 1, ["warnings"] = warnings },
        };
        using var http = new HttpClient(new Canned(answer.ToJsonString()));
        return await new ProviderVerifier(SpecFiles.Spec, http, checkWarnings: checkWarnings).RunOneAsync(new Uri("http://127.0.0.1/"), Row);
    }

    /// <summary>A provider that answers every request with one body (no socket).</summary>
    private sealed class Canned(string body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
    }
}
