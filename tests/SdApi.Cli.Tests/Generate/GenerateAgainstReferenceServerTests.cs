using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using SdApi.Cli.Infrastructure;
using SdApi.Server.Hosting;

namespace SdApi.Cli.Tests.Generate;

/// <summary>`sdapi generate` end to end against the reference server (in this process, free port). A zero sync
/// budget makes every job answer `processing` first, so the CLI must follow it to success through fetch/{id}.</summary>
public sealed class GenerateAgainstReferenceServerTests : IAsyncLifetime
{
    private const string Key = "cli-test-key";
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("sdapi-generate-e2e-");
    private WebApplication _server = null!;
    private string _url = "";

    public async Task InitializeAsync()
    {
        _server = SdApiServer.Build(["--urls", "http://127.0.0.1:0", $"--SdApi:DataDir={Path.Combine(_temp.FullName, "data")}",
            $"--SdApi:Keys:0={Key}", "--SdApi:Jobs:SyncBudget=00:00:00", "--Logging:LogLevel:Default=Warning"]);
        await _server.StartAsync();
        _url = _server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    public async Task DisposeAsync()
    {
        await _server.StopAsync();
        await _server.DisposeAsync();
        _temp.Delete(recursive: true);
    }

    [Fact]
    public async Task Text2img_with_a_lora_is_followed_to_success_and_the_png_saved()
    {
        var output = Path.Combine(_temp.FullName, "out");
        var run = await CliHarness.RunAsync("generate", "text2img", "--base-url", _url, "--key", Key,
            "--prompt", "red circle", "--width", "256", "--height", "256", "--steps", "2", "--seed", "42",
            "--lora", "more_details:0.7", "--show-meta", "--timeout", "120", "--out", output);

        run.Exit.Should().Be(ExitCodes.Success, run.ToString());
        run.Output.Should().Contain("processing: job").And.Contain("v6Text2Img: success");
        var files = Directory.GetFiles(output);
        files.Should().ContainSingle();
        File.ReadAllBytes(files[0]).Take(4).Should().Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, "the output is a PNG");
        run.Output.Should().Contain("meta:").And.Contain("\"seed\": 42");
    }

    [Fact]
    public async Task A_wrong_key_is_one_line_and_exit_1()
    {
        var run = await CliHarness.RunAsync("generate", "--base-url", _url, "--key", "not-a-key", "--prompt", "x",
            "--out", Path.Combine(_temp.FullName, "none"));
        run.Exit.Should().Be(ExitCodes.Failure, run.ToString());
        run.ErrorLines.Should().ContainSingle().Which.Should().StartWith("sdapi generate: v6Text2Img: the API answered error:");
    }
}
