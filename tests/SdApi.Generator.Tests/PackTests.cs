using System.Diagnostics;
using System.IO.Compression;
using SdApi.Tests.Shared;

namespace SdApi.Generator.Tests;

/// <summary>The NuGet package carries the generator and its dependencies under analyzers/dotnet/cs, and a consumer
/// project restored from a local folder feed builds with it and runs the generated code. (The one slow test; the consumer
/// references the already built runtime, SdApi.Bindings.dll, so only the generator is built again.)</summary>
public class PackTests
{
    private static readonly string[] Analyzers =
    [
        "SdApi.Generator.dll", "NSwag.Core.dll", "NSwag.Core.Yaml.dll", "NJsonSchema.dll", "NJsonSchema.Yaml.dll",
        "YamlDotNet.dll", "Namotion.Reflection.dll", "Newtonsoft.Json.dll",
    ];

    [Fact]
    public async Task Packed_generator_builds_and_runs_a_consumer_project()
    {
        var work = Directory.CreateTempSubdirectory("sdapi-pack-");
        try
        {
            var version = "0.1.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture);
            var feed = Path.Combine(work.FullName, "feed");
            await RunAsync("dotnet", ["pack", RepoPaths.Combine("generator", "SdApi.Generator", "SdApi.Generator.csproj"), "-o", feed,
                $"-p:Version={version}", "--artifacts-path", Path.Combine(work.FullName, "pack-artifacts")], work.FullName);

            var package = Path.Combine(feed, $"SdApi.Generator.{version}.nupkg");
            using (var zip = ZipFile.OpenRead(package))
            {
                var entries = zip.Entries.Select(e => e.FullName).ToList();
                entries.Should().Contain(Analyzers.Select(a => "analyzers/dotnet/cs/" + a));
                entries.Should().Contain("build/SdApi.Generator.props");
                entries.Should().NotContain(e => e.StartsWith("lib/", StringComparison.Ordinal));
            }

            var consumer = Directory.CreateDirectory(Path.Combine(work.FullName, "consumer")).FullName;
            var globalPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            // The test package restores into a private folder; everything else comes from the machine's package cache.
            await File.WriteAllTextAsync(Path.Combine(consumer, "nuget.config"), $"""
                <configuration>
                  <config><add key="globalPackagesFolder" value="{Path.Combine(work.FullName, "packages")}" /></config>
                  <packageSources><clear /><add key="local" value="{feed}" /></packageSources>
                  <fallbackPackageFolders><add key="machine" value="{globalPackages}" /></fallbackPackageFolders>
                </configuration>
                """);
            await File.WriteAllTextAsync(Path.Combine(consumer, "Consumer.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
                    <SdApiEmit>Models,Json,Validators</SdApiEmit>
                    <SdApiNamespace>Consumer.Api</SdApiNamespace>
                    <SdApiSpecPath>{RepoPaths.Spec}</SdApiSpecPath>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="SdApi.Generator" Version="{version}" PrivateAssets="all" />
                    <Reference Include="SdApi.Bindings" HintPath="{Path.Combine(AppContext.BaseDirectory, "SdApi.Bindings.dll")}" />
                  </ItemGroup>
                </Project>
                """);
            await File.WriteAllTextAsync(Path.Combine(consumer, "Program.cs"), """
                var request = Consumer.Api.V6Text2ImgRequest.FromJson("{\"key\":\"k\",\"prompt\":\"p\",\"width\":\"5000\"}");
                var result = request.Validate();
                System.Console.WriteLine(result.IsValid ? "valid" : string.Join(",", result.Errors.Keys));
                System.Console.WriteLine(Consumer.Api.SdApiOperations.All.Count);
                """);
            var artifacts = Path.Combine(work.FullName, "consumer-artifacts");
            await RunAsync("dotnet", ["build", consumer, "--artifacts-path", artifacts], consumer);
            var output = await RunAsync("dotnet", [Path.Combine(artifacts, "bin", "Consumer", "debug", "Consumer.dll")], consumer);
            output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Should().Equal("width", SdApi.Bindings.SdApiOperations.All.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        finally
        {
            try { work.Delete(recursive: true); } catch (IOException) { /* a build server may still hold a file */ }
        }
    }

    private static async Task<string> RunAsync(string file, string[] args, string directory)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await process.WaitForExitAsync(timeout.Token);
        var text = await stdout + await stderr;
        process.ExitCode.Should().Be(0, $"{file} {string.Join(' ', args)} failed:\n{text}");
        return await stdout;
    }
}
