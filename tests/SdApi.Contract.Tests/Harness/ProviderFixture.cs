using SdApi.Contract.Prism;
using SdApi.Tests.Shared;

namespace SdApi.Contract.Tests.Harness;

/// <summary>The reference server and, in front of it, Prism validating every exchange against openapi.yaml; started
/// once for the provider-side collection.</summary>
public sealed class ProviderFixture : IAsyncLifetime
{
    private ReferenceServer? _server;
    private PrismProxy? _prism;

    public ReferenceServer Server => _server ?? throw new InvalidOperationException("not started");

    public PrismProxy Prism => _prism ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        _server = await ReferenceServer.StartAsync();
        _prism = await PrismProxy.StartAsync(RepoPaths.Root, RepoPaths.Spec, _server.BaseUrl);
    }

    public async Task DisposeAsync()
    {
        _prism?.Dispose();
        if (_server is not null) await _server.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ProviderCollection : ICollectionFixture<ProviderFixture>
{
    public const string Name = "Provider";
}

/// <summary>A reference server of its own for the `sdapi verify` tests, so they run beside the Prism collection.</summary>
public sealed class ReferenceServerFixture : IAsyncLifetime
{
    private ReferenceServer? _server;

    public ReferenceServer Server => _server ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => _server = await ReferenceServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class VerifyCollection : ICollectionFixture<ReferenceServerFixture>
{
    public const string Name = "Verify";
}
