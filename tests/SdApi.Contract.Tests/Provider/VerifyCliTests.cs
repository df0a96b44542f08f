using System.Text.Json.Nodes;
using System.Xml.Linq;
using SdApi.Cli.Infrastructure;
using SdApi.Contract.Tests.Harness;
using Xunit.Abstractions;

namespace SdApi.Contract.Tests.Provider;

/// <summary>Consumer-driven: `sdapi mock export` writes mappings; `sdapi verify` replays the spec's examples, the edge
/// rows and those mappings against a provider. It passes against the reference server and fails, naming the violation,
/// against a provider that is the reference server except for two deliberately wrong WireMock stubs.</summary>
[Collection(ProviderCollection.Name)]
public sealed class VerifyCliTests(ProviderFixture provider, ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sdapi-verify-" + Guid.NewGuid().ToString("N"));

    // Also the server half of "one table, both sides": every edge-value row sent over HTTP must get the table's verdict,
    // field and HTTP status (--table-status); ClientOperationTests hold the client validator to the same rows.
    [Fact]
    public async Task Verify_passes_against_the_reference_server_with_exported_mappings_and_writes_JUnit()
    {
        var (exportCode, exportText) = await SdApiAsync("mock", "export", "--out", _dir);
        exportCode.Should().Be(0, exportText);
        Directory.EnumerateFiles(Path.Combine(_dir, "mappings"), "*.json").Should().NotBeEmpty();
        var junit = Path.Combine(_dir, "verify.xml");

        var (code, text) = await SdApiAsync("verify", "--base-url", provider.Server.BaseUrl.ToString(), "--key", ReferenceServer.Key,
            "--mappings", _dir, "--junit", junit, "--table-status");

        code.Should().Be(0, text);
        text.Should().Contain(" 0 failed");
        var xml = XDocument.Load(junit);
        xml.Root!.Attribute("failures")!.Value.Should().Be("0");
        int.Parse(xml.Root.Attribute("tests")!.Value, System.Globalization.CultureInfo.InvariantCulture)
            .Should().BeGreaterThan(SpecFiles.Edges.Rows.Count, "examples, every edge row and the mappings are replayed");
        xml.Descendants("testsuite").Select(s => s.Attribute("name")!.Value).Should().BeEquivalentTo(["examples", "edge-values", "mappings"]);
    }

    [Fact]
    public async Task Verify_fails_against_a_wrong_provider_naming_each_violation()
    {
        var admin = provider.WrongProvider.Admin;
        await admin.ResetAsync();
        // Everything goes to the reference server ...
        await admin.AddMappingAsync(JsonNode.Parse($$$"""
            {"priority":10,"request":{"method":"ANY","urlPattern":".*"},
             "response":{"proxyBaseUrl":"{{{provider.Server.BaseUrl.GetLeftPart(UriPartial.Authority)}}}"}}
            """)!.AsObject());
        // ... except v6 fetch, which answers a single link where the spec has a list,
        await admin.AddMappingAsync(JsonNode.Parse("""
            {"priority":1,"request":{"method":"POST","urlPath":"/api/v6/images/fetch"},
             "response":{"status":200,"headers":{"Content-Type":"application/json"},
                         "jsonBody":{"status":"success","id":29763508,"output":"https://example.com/1.png"}}}
            """)!.AsObject());
        // ... and v4 model_reload, which accepts anything, even a body without model_id.
        await admin.AddMappingAsync(JsonNode.Parse("""
            {"priority":1,"request":{"method":"POST","urlPath":"/api/v4/dreambooth/model_reload"},
             "response":{"status":200,"headers":{"Content-Type":"application/json"},
                         "jsonBody":{"status":"success","message":"model reloaded"}}}
            """)!.AsObject());
        var junit = Path.Combine(_dir, "wrong.xml");

        var (code, text) = await SdApiAsync("verify", "--base-url", provider.WrongProvider.BaseUrl.ToString(), "--key", ReferenceServer.Key,
            "--operation", "v6Fetch", "--operation", "v4ModelReload", "--operation", "v6Text2Img", "--junit", junit);

        code.Should().Be(1, text);
        text.Should().MatchRegex(@"response violates openapi\.yaml \(v6Fetch, HTTP 200\): .*output");
        text.Should().Contain("model-id-required-model-reload/v4ModelReload/missing")
            .And.Contain("expected the request to be refused naming 'model_id'");
        text.Should().NotContain("FAIL edge-values steps-v6", "v6Text2Img still reaches the reference server and passes");
        XDocument.Load(junit).Descendants("failure").Should().NotBeEmpty();
    }

    [Fact]
    public async Task Verify_with_an_unknown_operation_is_bad_input()
    {
        var (code, text) = await SdApiAsync("verify", "--base-url", provider.Server.BaseUrl.ToString(), "--key", "k", "--operation", "v9Nothing");
        code.Should().Be(2);
        text.Should().Contain("v9Nothing");
    }

    private async Task<(int Code, string Text)> SdApiAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CliRunner.RunAsync(SdApiRoot.Create(), args, stdout, stderr);
        var text = stdout + stderr.ToString();
        output.WriteLine($"sdapi {string.Join(' ', args)} -> {code}\n{text}");
        return (code, text);
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }
}
