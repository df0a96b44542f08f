using SdApi.Contract.Prism;
using SdApi.Contract.WireMock;
using SdApi.Tests.Shared;

namespace SdApi.Contract.Tests.Harness;

/// <summary>The reference server; in front of it Prism, validating every exchange against openapi.yaml; and a WireMock
/// that proxies to it, into which a test puts deliberately wrong stubs (a "wrong provider"). Started once for the
/// provider-side collection.</summary>
public sealed class ProviderFixture : IAsyncLifetime
{
    private ReferenceServer? _server;
    private PrismProxy? _prism;
    private WireMockServer? _wrongProvider;
    private string? _wireMockRoot;

    public ReferenceServer Server => _server ?? throw new InvalidOperationException("not started");

    public PrismProxy Prism => _prism ?? throw new InvalidOperationException("not started");

    public WireMockServer WrongProvider => _wrongProvider ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        _server = await ReferenceServer.StartAsync();
        _wireMockRoot = Path.Combine(Path.GetTempPath(), "sdapi-wrong-provider-" + Guid.NewGuid().ToString("N"));
        var prism = PrismProxy.StartAsync(RepoPaths.Root, RepoPaths.Spec, _server.BaseUrl);
        var wireMock = WireMockServer.StartAsync(RepoPaths.Root, _wireMockRoot, verbose: false);
        _prism = await prism;
        _wrongProvider = await wireMock;
    }

    public async Task DisposeAsync()
    {
        _prism?.Dispose();
        _wrongProvider?.Dispose();
        if (_server is not null) await _server.DisposeAsync();
        if (_wireMockRoot is not null && Directory.Exists(_wireMockRoot)) Directory.Delete(_wireMockRoot, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class ProviderCollection : ICollectionFixture<ProviderFixture>
{
    public const string Name = "Provider";
}
