using SdApi.Contract.Mappings;
using SdApi.Contract.Spec;
using SdApi.Contract.WireMock;
using SdApi.Tests.Shared;

namespace SdApi.Contract.Tests.Harness;

/// <summary>
/// One WireMock process per test collection, loaded with the spec-derived mappings (exported to a temp folder, so
/// <c>/__admin/reset</c> restores exactly them). Timing knobs are shortened so retry/polling tests stay fast.
/// </summary>
public sealed class WireMockFixture : IAsyncLifetime
{
    /// <summary>Short waits for tests: a 429 says retry after 1 s (the spec types it integer), a processing answer says eta 0.1 s.</summary>
    public static readonly MockOptions TestOptions = new()
    {
        RetryAfterSeconds = 1,
        EtaSeconds = 0.1,
        SlowDelay = TimeSpan.FromSeconds(3),
    };

    private WireMockServer? _server;
    private string? _rootDir;

    public ContractSpec Spec => SpecFiles.Spec;

    public EdgeTable Edges => SpecFiles.Edges;

    public WireMockServer Server => _server ?? throw new InvalidOperationException("WireMock is not running.");

    public WireMockAdmin Admin => Server.Admin;

    public Uri BaseUrl => Server.BaseUrl;

    public async Task InitializeAsync()
    {
        _rootDir = Path.Combine(Path.GetTempPath(), "sdapi-wiremock-" + Guid.NewGuid().ToString("N"));
        MappingExporter.Export(new MappingGenerator(Spec, TestOptions, Edges).All(), _rootDir);
        _server = await WireMockServer.StartAsync(RepoPaths.Root, _rootDir);
    }

    public Task DisposeAsync()
    {
        _server?.Dispose();
        if (_rootDir is not null && Directory.Exists(_rootDir))
            Directory.Delete(_rootDir, recursive: true);
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class WireMockCollection : ICollectionFixture<WireMockFixture>
{
    public const string Name = "WireMock";
}
