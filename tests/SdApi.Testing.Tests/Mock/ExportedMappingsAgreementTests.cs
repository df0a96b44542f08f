using System.Text;
using System.Text.Json.Nodes;
using SdApi.Contract.Mappings;
using SdApi.Contract.WireMock;
using SdApi.Testing.Tests.Harness;
using SdApi.Tests.Shared;

namespace SdApi.Testing.Tests.Mock;

/// <summary>The same valid requests, keys and sequences (a key's "once" behaviour, processing -> fetch -> fetch) sent to
/// the WireMock 3 jar on the exported mappings and to SdApiMockServer get the same HTTP statuses and outcome statuses.
/// Invalid bodies are not compared: the jar leaves them unmatched (404) where the mock answers the API's 400.</summary>
public sealed class ExportedMappingsAgreementTests(ExportedMappingsAgreementTests.Jar jar) : IClassFixture<ExportedMappingsAgreementTests.Jar>
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var operation in SpecFiles.Spec.Operations)
            foreach (var key in new[] { "any-key" }.Concat(SdApiMockKeys.All.Where(k => k != SdApiMockKeys.Slow)))
                data.Add(operation.OperationId, key);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Jar_and_mock_answer_the_same_sequence(string operationId, string key)
    {
        var operation = SpecFiles.Spec.Operation(operationId);
        var steps = new List<(string Path, JsonObject Body)>();
        var body = SpecFiles.Edges.Bases[operationId].DeepClone().AsObject();
        body["key"] = key;
        steps.Add((operation.ConcretePath("29763508"), body));
        if (key == SdApiMockKeys.Processing && operation.Kind == "generate")
        {
            var fetch = SpecFiles.Spec.Operations.Single(o => o.Kind == "fetch" && o.Tag == operation.Tag && o.Path.Contains('{', StringComparison.Ordinal));
            var fetchBody = SpecFiles.Edges.Bases[fetch.OperationId].DeepClone().AsObject();
            fetchBody["key"] = key;
            steps.Add((fetch.ConcretePath("29763508"), fetchBody));
            steps.Add((fetch.ConcretePath("29763508"), fetchBody));
        }
        else
        {
            steps.Add(steps[0]); // the second call shows whether a behaviour was "once"
        }

        var mock = jar.Mock;
        mock.Reset();
        await jar.Server.Admin.ResetScenariosAsync();
        var fromJar = new List<string>();
        var fromMock = new List<string>();
        foreach (var (path, request) in steps)
        {
            fromJar.Add(await AnswerAsync(jar.Server.BaseUrl, path, request));
            fromMock.Add(await AnswerAsync(mock.BaseUrl, path, request));
        }

        fromMock.Should().Equal(fromJar, "the in-process mock must behave as the exported mappings do in WireMock 3");
    }

    /// <summary>"HTTP status/outcome status", or "reset".</summary>
    private static async Task<string> AnswerAsync(Uri baseUrl, string path, JsonObject body)
    {
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        try
        {
            using var response = await Http.PostAsync(new Uri(baseUrl, path.TrimStart('/')), content);
            var text = await response.Content.ReadAsStringAsync();
            var status = JsonNode.Parse(text)?["status"]?.GetValue<string>();
            return $"{(int)response.StatusCode}/{status}";
        }
        catch (HttpRequestException)
        {
            return "reset";
        }
    }

    /// <summary>The WireMock 3 jar with the exported mappings (default options, as `sdapi mock export` writes them), and
    /// one mock (reset before each case, as the jar's scenarios are).</summary>
    public sealed class Jar : IAsyncLifetime
    {
        private readonly string _root = Directory.CreateTempSubdirectory("sdapi-testing-jar-").FullName;
        private WireMockServer? _server;

        public WireMockServer Server => _server ?? throw new InvalidOperationException("not started");

        public SdApiMockServer Mock { get; } = SdApiMockServer.Start();

        public async Task InitializeAsync()
        {
            MappingExporter.Export(new MappingGenerator(SpecFiles.Spec, MockOptions.Default, SpecFiles.Edges).All(), _root);
            _server = await WireMockServer.StartAsync(RepoPaths.Root, _root, verbose: false);
        }

        public async Task DisposeAsync()
        {
            if (_server is not null) await _server.DisposeAsync();
            Mock.Dispose();
            Directory.Delete(_root, recursive: true);
        }
    }
}
