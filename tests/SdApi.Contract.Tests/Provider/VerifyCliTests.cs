using System.Text.Json.Nodes;
using System.Xml.Linq;
using SdApi.Cli.Infrastructure;
using SdApi.Contract.Tests.Harness;
using Xunit.Abstractions;

namespace SdApi.Contract.Tests.Provider;

/// <summary>Consumer-driven: `sdapi mock export` writes mappings; `sdapi verify` replays the spec's examples, the edge
/// rows and those mappings against a provider. It passes against the reference server (here) and fails, naming the
/// violation, against a deliberately wrong WireMock provider (WrongProviderTests).</summary>
[Collection(VerifyCollection.Name)]
public sealed class VerifyCliTests(ReferenceServerFixture provider, ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sdapi-verify-" + Guid.NewGuid().ToString("N"));

    // Also the server half of "one table, both sides": every edge-value row sent over HTTP must get the table's verdict,
    // field and HTTP status (--table-status), and every accepted row the warnings it names (--warnings); ClientOperationTests hold the client validator to the same rows.
    [Fact]
    public async Task Verify_passes_against_the_reference_server_with_exported_mappings_and_writes_JUnit()
    {
        var (exportCode, exportText) = await SdApiAsync("mock", "export", "--out", _dir);
        exportCode.Should().Be(0, exportText);
        Directory.EnumerateFiles(Path.Combine(_dir, "mappings"), "*.json").Should().NotBeEmpty();
        var junit = Path.Combine(_dir, "verify.xml");

        var (code, text) = await SdApiAsync("verify", "--base-url", provider.Server.BaseUrl.ToString(), "--key", ReferenceServer.Key,
            "--mappings", _dir, "--junit", junit, "--table-status", "--warnings");

        code.Should().Be(0, text);
        text.Should().Contain(" 0 failed");
        var xml = XDocument.Load(junit);
        xml.Root!.Attribute("failures")!.Value.Should().Be("0");
        int.Parse(xml.Root.Attribute("tests")!.Value, System.Globalization.CultureInfo.InvariantCulture)
            .Should().BeGreaterThan(SpecFiles.Edges.Rows.Count, "examples, every edge row and the mappings are replayed");
        xml.Descendants("testsuite").Select(s => s.Attribute("name")!.Value).Should().BeEquivalentTo(["examples", "edge-values", "mappings"]);
    }

    [Fact]
    public async Task Verify_with_an_unknown_operation_is_bad_input()
    {
        var (code, text) = await SdApiAsync("verify", "--base-url", provider.Server.BaseUrl.ToString(), "--key", "k", "--operation", "v9Nothing");
        code.Should().Be(2);
        text.Should().Contain("v9Nothing");
    }

    private Task<(int Code, string Text)> SdApiAsync(params string[] args) => Sdapi.RunAsync(output, args);

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }
}
