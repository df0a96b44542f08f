using System.IO.Compression;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using SdApi.Server.Hosting;
using SdApi.Tests.Shared;

namespace SdApi.Packaging.Tests;

/// <summary>The packages as a user gets them: what each holds, a fresh consumer that restores SdApi.Bindings and
/// SdApi.Generator from the feed, builds and calls the reference server, and the sdapi tool installed from the feed.</summary>
public sealed class PackagingTests(PackedFeed feed) : IClassFixture<PackedFeed>
{
    private const string Key = "packaging-test-key";
    private static readonly TimeSpan StepLimit = TimeSpan.FromMinutes(5);

    [Fact]
    public void Packages_hold_the_client_the_generator_with_its_dependencies_and_the_tool()
    {
        Entries("SdApi.Bindings").Should().Contain("lib/net10.0/SdApi.Bindings.dll");
        Nuspec("SdApi.Bindings").Should().Contain("Microsoft.Extensions.Http").And.Contain("Polly.Core");

        var generator = Entries("SdApi.Generator");
        generator.Should().Contain("analyzers/dotnet/cs/SdApi.Generator.dll").And.Contain("build/SdApi.Generator.props");
        foreach (var dependency in new[] { "NSwag.Core", "NSwag.Core.Yaml", "NJsonSchema", "NJsonSchema.Yaml", "YamlDotNet", "Newtonsoft.Json", "Namotion.Reflection" })
            generator.Should().Contain($"analyzers/dotnet/cs/{dependency}.dll", "the generator runs inside the compiler with its dependencies beside it");
        generator.Should().NotContain(e => e.StartsWith("lib/", StringComparison.Ordinal), "a generator adds no runtime reference");

        var tool = Entries("sdapi");
        tool.Should().Contain(e => e.EndsWith("/sdapi.dll", StringComparison.Ordinal) && e.StartsWith("tools/net10.0/any/", StringComparison.Ordinal));
        tool.Should().Contain("tools/net10.0/any/DotnetToolSettings.xml");
        Nuspec("sdapi").Should().Contain("<packageType name=\"DotnetTool\"");
    }

    [Fact]
    public async Task A_fresh_consumer_restores_the_packages_builds_and_calls_the_server()
    {
        var consumer = Directory.CreateDirectory(Path.Combine(feed.Root, "consumer")).FullName;
        var template = Path.Combine(AppContext.BaseDirectory, "Consumer");
        await File.WriteAllTextAsync(Path.Combine(consumer, "Consumer.csproj"),
            (await File.ReadAllTextAsync(Path.Combine(template, "Consumer.csproj.txt"))).Replace("$VERSION$", PackedFeed.Version, StringComparison.Ordinal));
        File.Copy(Path.Combine(template, "Program.cs.txt"), Path.Combine(consumer, "Program.cs"));
        File.Copy(RepoPaths.Spec, Path.Combine(consumer, "openapi.yaml"));
        File.Copy(feed.NuGetConfig, Path.Combine(consumer, "nuget.config"));

        await DotnetProcess.SucceedAsync(consumer, feed.RestoreEnvironment, StepLimit, "dotnet", "build", "-c", "Release", "-o", "out");

        await using var server = await StartServerAsync();
        var (exit, output) = await DotnetProcess.RunAsync(consumer, null, StepLimit, "dotnet", "out/Consumer.dll", server.Url, Key);
        exit.Should().Be(0, output);
        output.Should().Contain("generator: invalid request -> samples").And.Contain("bindings: Success outputs=1 http=200")
            .And.Contain("generator client: Success outputs=1");
    }

    [Fact]
    public void SdApi_Testing_holds_the_mock_and_depends_on_the_bindings_and_WireMock_Net()
    {
        Entries("SdApi.Testing").Should().Contain("lib/net10.0/SdApi.Testing.dll");
        var nuspec = Nuspec("SdApi.Testing");
        nuspec.Should().Contain("id=\"SdApi.Bindings\" version=\"" + PackedFeed.Version + "\"")
            .And.Contain("id=\"WireMock.Net.Minimal\" version=\"2.31.0\"").And.Contain("id=\"WireMock.Net.Abstractions\" version=\"2.31.0\"");
    }

    [Fact]
    public async Task A_fresh_xunit_project_restores_SdApi_Testing_from_the_feed_and_its_test_passes()
    {
        var consumer = Directory.CreateDirectory(Path.Combine(feed.Root, "testing-consumer")).FullName;
        var template = Path.Combine(AppContext.BaseDirectory, "TestingConsumer");
        await File.WriteAllTextAsync(Path.Combine(consumer, "TestingConsumer.csproj"),
            (await File.ReadAllTextAsync(Path.Combine(template, "TestingConsumer.csproj.txt"))).Replace("$VERSION$", PackedFeed.Version, StringComparison.Ordinal));
        File.Copy(Path.Combine(template, "ImageServiceTests.cs.txt"), Path.Combine(consumer, "ImageServiceTests.cs"));
        File.Copy(feed.NuGetConfig, Path.Combine(consumer, "nuget.config"));

        var output = await DotnetProcess.SucceedAsync(consumer, feed.RestoreEnvironment, StepLimit, "dotnet", "test", "-c", "Release");

        output.Should().MatchRegex(@"Passed!\s+- Failed:\s+0, Passed:\s+1,", "the README example runs as the consumer's one test");
        Directory.EnumerateFiles(Path.Combine(feed.Root, "packages", "sdapi.testing"), "*.nupkg", SearchOption.AllDirectories)
            .Should().ContainSingle("SdApi.Testing came from the feed into the private packages folder");
    }

    [Fact]
    public async Task The_tool_installs_from_the_feed_and_runs()
    {
        var tools = Path.Combine(feed.Root, "tools");
        await DotnetProcess.SucceedAsync(feed.Root, feed.RestoreEnvironment, StepLimit, "dotnet",
            "tool", "install", "sdapi", "--tool-path", tools, "--version", PackedFeed.Version, "--configfile", feed.NuGetConfig);
        var sdapi = Path.Combine(tools, OperatingSystem.IsWindows() ? "sdapi.exe" : "sdapi");

        var help = await DotnetProcess.SucceedAsync(feed.Root, null, StepLimit, sdapi, "--help");
        help.Should().Contain("Example:").And.Contain("diff").And.Contain("generate");

        // The installed tool carries its embedded spec and the diff engine: a spec against itself has no changes.
        var diff = await DotnetProcess.SucceedAsync(feed.Root, null, StepLimit, sdapi, "diff", RepoPaths.Spec, RepoPaths.Spec);
        diff.Should().Contain("No differences");
    }

    private IReadOnlyList<string> Entries(string id)
    {
        using var zip = ZipFile.OpenRead(feed.PackageFile(id));
        return [.. zip.Entries.Select(e => e.FullName)];
    }

    private string Nuspec(string id)
    {
        using var zip = ZipFile.OpenRead(feed.PackageFile(id));
        using var reader = new StreamReader(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
        return reader.ReadToEnd();
    }

    private async Task<RunningServer> StartServerAsync()
    {
        var data = Directory.CreateDirectory(Path.Combine(feed.Root, "server-data")).FullName;
        var app = SdApiServer.Build(["--urls", "http://127.0.0.1:0", $"--SdApi:DataDir={data}", $"--SdApi:Keys:0={Key}"]);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningServer(app, address.TrimEnd('/') + "/");
    }

    private sealed record RunningServer(WebApplication App, string Url) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }
    }
}
