using System.Text.Json.Nodes;
using System.Xml.Linq;
using SdApi.Contract.Tests.Harness;
using Xunit.Abstractions;

namespace SdApi.Contract.Tests.Provider;

/// <summary>`sdapi verify` against a deliberately wrong provider: the shared WireMock proxying to a reference server,
/// except for two wrong stubs. Verify must fail and name each violation.</summary>
public sealed class WrongProviderTests(WireMockFixture wireMock, ITestOutputHelper output) : WireMockTest(wireMock, output)
{
    [Fact]
    public async Task Verify_fails_against_a_wrong_provider_naming_each_violation()
    {
        await using var server = await ReferenceServer.StartAsync();
        // This test alone replaces the spec-derived stubs; the reset at the end reloads them from the root folder.
        await Admin.ResetAsync();
        await Admin.RemoveAllMappingsAsync();
        // Everything goes to the reference server ...
        await Admin.AddMappingAsync(JsonNode.Parse($$$"""
            {"priority":10,"request":{"method":"ANY","urlPattern":".*"},
             "response":{"proxyBaseUrl":"{{{server.BaseUrl.GetLeftPart(UriPartial.Authority)}}}"}}
            """)!.AsObject());
        // ... except v6 fetch, which answers a single link where the spec has a list,
        await Admin.AddMappingAsync(JsonNode.Parse("""
            {"priority":1,"request":{"method":"POST","urlPath":"/api/v6/images/fetch"},
             "response":{"status":200,"headers":{"Content-Type":"application/json"},
                         "jsonBody":{"status":"success","id":29763508,"output":"https://example.com/1.png"}}}
            """)!.AsObject());
        // ... and v4 model_reload, which accepts anything, even a body without model_id.
        await Admin.AddMappingAsync(JsonNode.Parse("""
            {"priority":1,"request":{"method":"POST","urlPath":"/api/v4/dreambooth/model_reload"},
             "response":{"status":200,"headers":{"Content-Type":"application/json"},
                         "jsonBody":{"status":"success","message":"model reloaded"}}}
            """)!.AsObject());
        var junit = Path.Combine(Path.GetTempPath(), $"sdapi-wrong-{Guid.NewGuid():N}.xml");

        int code;
        string text;
        try
        {
            (code, text) = await Sdapi.RunAsync(Output, "verify", "--base-url", WireMock.BaseUrl.ToString(), "--key", ReferenceServer.Key,
                "--operation", "v6Fetch", "--operation", "v4ModelReload", "--operation", "v6Text2Img", "--junit", junit);
        }
        finally
        {
            await Admin.ResetAsync();
        }

        code.Should().Be(1, text);
        text.Should().MatchRegex(@"response violates openapi\.yaml \(v6Fetch, HTTP 200\): .*output");
        text.Should().Contain("model-id-required-model-reload/v4ModelReload/missing")
            .And.Contain("expected the request to be refused naming 'model_id'");
        text.Should().NotContain("FAIL edge-values steps-v6", "v6Text2Img still reaches the reference server and passes");
        XDocument.Load(junit).Descendants("failure").Should().NotBeEmpty();
        File.Delete(junit);
    }
}
