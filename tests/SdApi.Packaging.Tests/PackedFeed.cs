using SdApi.Tests.Shared;

namespace SdApi.Packaging.Tests;

/// <summary>Packs SdApi.Bindings, SdApi.Generator, SdApi.Testing and the sdapi tool once per test run into a temp folder feed.
/// One build (packing the tool builds the other two as its dependencies), then the two libraries are packed from
/// those outputs with --no-build. A nuget.config with only this feed and the machine's package cache (as an
/// offline source) plus a private NUGET_PACKAGES folder make every restore below use the fresh packages.</summary>
public sealed class PackedFeed : IAsyncLifetime
{
    public const string Version = "0.1.0";
    private static readonly TimeSpan PackLimit = TimeSpan.FromMinutes(10);

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("sdapi-packaging-");

    public string Root => _root.FullName;
    public string Feed => Path.Combine(Root, "feed");
    public string NuGetConfig => Path.Combine(Root, "nuget.config");

    /// <summary>Environment for restores: a private global packages folder, so nothing stale from the machine cache is used.</summary>
    public IReadOnlyDictionary<string, string> RestoreEnvironment => new Dictionary<string, string>
    {
        ["NUGET_PACKAGES"] = Path.Combine(Root, "packages"),
    };

    public string PackageFile(string id) => Path.Combine(Feed, $"{id}.{Version}.nupkg");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Feed);
        var artifacts = Path.Combine(Root, "artifacts");
        string[] common = ["-c", "Release", "--artifacts-path", artifacts, "-o", Feed, "-p:Version=" + Version];
        await DotnetProcess.SucceedAsync(RepoPaths.Root, null, PackLimit, "dotnet", ["pack", "src/SdApi.Cli/SdApi.Cli.csproj", .. common]);
        await DotnetProcess.SucceedAsync(RepoPaths.Root, null, PackLimit, "dotnet", ["pack", "src/SdApi.Bindings/SdApi.Bindings.csproj", "--no-build", .. common]);
        await DotnetProcess.SucceedAsync(RepoPaths.Root, null, PackLimit, "dotnet", ["pack", "generator/SdApi.Generator/SdApi.Generator.csproj", "--no-build", .. common]);
        // SdApi.Testing is no dependency of the tool: built here (SdApi.Bindings is up to date from the first build). It
        // answers refusals with the server runtime's error bodies, so SdApi.Bindings.Server is packed beside it.
        await DotnetProcess.SucceedAsync(RepoPaths.Root, null, PackLimit, "dotnet", ["pack", "src/SdApi.Testing/SdApi.Testing.csproj", .. common]);
        await DotnetProcess.SucceedAsync(RepoPaths.Root, null, PackLimit, "dotnet", ["pack", "src/SdApi.Bindings.Server/SdApi.Bindings.Server.csproj", "--no-build", .. common]);

        var machineCache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        await File.WriteAllTextAsync(NuGetConfig, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="sdapi-feed" value="{Feed}" />
                <add key="machine-cache" value="{machineCache}" />
              </packageSources>
            </configuration>
            """);
    }

    public Task DisposeAsync()
    {
        try
        {
            _root.Delete(recursive: true);
        }
        catch (IOException)
        {
            // a leftover temp folder is harmless
        }
        return Task.CompletedTask;
    }
}
