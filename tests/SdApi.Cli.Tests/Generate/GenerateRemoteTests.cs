using SdApi.Bindings;
using SdApi.Cli.Infrastructure;

namespace SdApi.Cli.Tests.Generate;

/// <summary>`sdapi generate` against a server: the request it builds (options typed by the spec's kinds, --lora
/// pairs), the processing display with status and eta, the saved outputs, --show-meta, and one-line failures.</summary>
public sealed class GenerateRemoteTests : IAsyncLifetime
{
    // The smallest PNG: signature + IHDR + IDAT + IEND (1x1 grey).
    private static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==");

    private readonly DirectoryInfo _out = Directory.CreateTempSubdirectory("sdapi-generate-");
    private FakeApi _api = null!;

    public async Task InitializeAsync() => _api = await FakeApi.StartAsync();

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        _out.Delete(recursive: true);
    }

    [Fact]
    public async Task Text2img_follows_the_job_until_success_and_saves_every_output()
    {
        _api.Files["a.png"] = Png;
        _api.Answer("/api/v6/images/text2img", new ProcessingResponse { Status = "processing", Id = 42L, Eta = 0.2, Message = "queued" }.ToJson());
        _api.Answer("/api/v6/images/fetch/42",
            new ProcessingResponse { Status = "processing", Id = 42L, Eta = 0.1 }.ToJson(),
            new SuccessResponse
            {
                Status = "success",
                Id = 42L,
                GenerationTime = 1.5,
                Output = [_api.FileUrl("a.png"), "data:image/png;base64," + Convert.ToBase64String(Png)],
                Meta = new Meta { Seed = 1234, Scheduler = "UniPCMultistepScheduler", Prompt = "a red fox" },
            }.ToJson());

        var run = await CliHarness.RunAsync("generate", "text2img", "--base-url", _api.BaseUrl.ToString(), "--key", "test-key",
            "--prompt", "a red fox", "--num-inference-steps", "25", "--lora", "more_details:0.7", "--lora", "animie:0.5",
            "--safety-checker", "no", "--show-meta", "--out", _out.FullName);

        run.Exit.Should().Be(ExitCodes.Success, run.ToString());
        var (path, body) = _api.Requests.First();
        path.Should().Be("/api/v6/images/text2img");
        body["key"]!.GetValue<string>().Should().Be("test-key");
        body["prompt"]!.GetValue<string>().Should().Be("a red fox");
        body["num_inference_steps"]!.GetValue<int>().Should().Be(25, "integer fields go out as numbers");
        body["lora_model"]!.GetValue<string>().Should().Be("more_details,animie");
        body["lora_strength"]!.GetValue<string>().Should().Be("0.7,0.5");
        body["safety_checker"]!.GetValue<string>().Should().Be("no");
        body.Should().NotContainKey("width", "fields not given are left to the server's defaults");
        _api.Requests.Select(r => r.Path).Should().Equal("/api/v6/images/text2img", "/api/v6/images/fetch/42", "/api/v6/images/fetch/42");

        run.Output.Should().Contain("processing: job 42, eta 0.2 s (queued)").And.Contain("processing: job 42, eta 0.1 s");
        var files = _out.GetFiles().OrderBy(f => f.Name).ToList();
        files.Select(f => f.Name).Should().Equal("42-1.png", "42-2.png");
        files.Should().AllSatisfy(f => File.ReadAllBytes(f.FullName).Should().Equal(Png));
        run.Output.Should().Contain("v6Text2Img: success, job 42, 2 file(s) in 1.5 s");
        run.Output.Should().Contain("meta:").And.Contain("\"seed\": 1234").And.Contain("UniPCMultistepScheduler");
    }

    [Fact]
    public async Task A_single_lora_and_an_immediate_success_with_base64_text()
    {
        _api.Answer("/api/v4/dreambooth",
            new SuccessResponse { Status = "success", Id = 7L, Output = [Convert.ToBase64String(Png)] }.ToJson());

        var run = await CliHarness.RunAsync("generate", "--api", "v4", "--base-url", _api.BaseUrl.ToString(), "--key", "k",
            "--prompt", "cat", "--lora", "more_details:0.45", "--out", _out.FullName);

        run.Exit.Should().Be(ExitCodes.Success, run.ToString());
        var body = _api.Requests.Single().Body;
        body["lora_model"]!.GetValue<string>().Should().Be("more_details");
        body["lora_strength"]!.ToString().Should().Be("0.45");
        File.ReadAllBytes(Path.Combine(_out.FullName, "7-1.png")).Should().Equal(Png);
        run.Output.Should().NotContain("meta:");
    }

    [Fact]
    public async Task An_error_outcome_is_one_line_and_exit_1()
    {
        _api.Answer("/api/v6/images/text2img", new ErrorResponse
        {
            Status = "error",
            FieldErrors = new Dictionary<string, IReadOnlyList<string>> { ["prompt"] = ["The prompt field is blocked."] },
        }.ToJson());

        var run = await CliHarness.RunAsync("generate", "--base-url", _api.BaseUrl.ToString(), "--key", "k", "--prompt", "x", "--out", _out.FullName);

        run.Exit.Should().Be(ExitCodes.Failure, run.ToString());
        run.ErrorLines.Should().ContainSingle().Which.Should().Be("sdapi generate: v6Text2Img: the API answered error: prompt: The prompt field is blocked.");
        _out.GetFiles().Should().BeEmpty();
    }

    [Fact]
    public async Task A_failed_job_is_one_line_and_exit_1()
    {
        _api.Answer("/api/v6/images/img2img", new ProcessingResponse { Status = "processing", Id = 9L, Eta = 0.1 }.ToJson());
        _api.Answer("/api/v6/images/fetch/9", new FailedResponse { Status = "failed", Id = 9L, Message = "out of memory" }.ToJson());

        var run = await CliHarness.RunAsync("generate", "img2img", "--init-image", "https://example.invalid/in.png",
            "--base-url", _api.BaseUrl.ToString(), "--key", "k", "--prompt", "x", "--out", _out.FullName);

        run.Exit.Should().Be(ExitCodes.Failure, run.ToString());
        run.ErrorLines.Should().ContainSingle().Which.Should().Contain("job 9 failed: out of memory");
        _api.Requests.First().Body["init_image"]!.GetValue<string>().Should().Be("https://example.invalid/in.png");
    }

    [Fact]
    public async Task A_local_image_file_is_sent_as_base64()
    {
        var image = Path.Combine(_out.FullName, "in.png");
        await File.WriteAllBytesAsync(image, Png);
        _api.Answer("/api/v6/images/img2img", new SuccessResponse { Status = "success", Id = 3L, Output = [] }.ToJson());

        var run = await CliHarness.RunAsync("generate", "img2img", "--init-image", image,
            "--base-url", _api.BaseUrl.ToString(), "--key", "k", "--prompt", "x", "--out", _out.FullName);

        run.Exit.Should().Be(ExitCodes.Success, run.ToString());
        var body = _api.Requests.Single().Body;
        body["init_image"]!.GetValue<string>().Should().Be(Convert.ToBase64String(Png));
        body["base64"]!.GetValue<string>().Should().Be("yes");
    }

    [Fact]
    public async Task The_generated_validator_stops_an_invalid_request_before_sending()
    {
        var run = await CliHarness.RunAsync("generate", "--base-url", _api.BaseUrl.ToString(), "--key", "k",
            "--prompt", "x", "--samples", "9", "--out", _out.FullName);

        run.Exit.Should().Be(ExitCodes.BadInput, run.ToString());
        run.ErrorLines.Should().ContainSingle().Which.Should().Contain("samples");
        _api.Requests.Should().BeEmpty();
    }

    [Theory]
    [InlineData("a field of another operation", "img2img --init-image https://x.invalid/a.png --highres-fix yes", "--highres-fix is not a parameter of v6Img2Img")]
    [InlineData("--lora and the raw fields together", "--lora a:0.5 --lora-model b", "not both")]
    [InlineData("a malformed --lora", "--lora a:strong", "--lora 'a:strong'")]
    [InlineData("inpaint without a mask", "inpaint --init-image https://x.invalid/a.png", "inpaint needs --mask-image")]
    public async Task Bad_options_are_one_line_and_exit_2(string what, string args, string expected)
    {
        var run = await CliHarness.RunAsync(["generate", .. args.Split(' '), "--base-url", _api.BaseUrl.ToString(), "--key", "k", "--prompt", "x"]);

        run.Exit.Should().Be(ExitCodes.BadInput, what);
        run.ErrorLines.Should().ContainSingle().Which.Should().Contain(expected);
        _api.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task A_server_field_with_local_is_refused()
    {
        var run = await CliHarness.RunAsync("generate", "--local", "--prompt", "x", "--webhook", "https://x.invalid/hook");
        run.Exit.Should().Be(ExitCodes.BadInput, run.ToString());
        run.ErrorLines.Should().ContainSingle().Which.Should().Contain("--webhook is a server parameter");
    }

    [Fact]
    public async Task Without_a_key_it_says_how_to_give_one()
    {
        // Clear a key the environment may provide, so the check always runs (no other test reads SDAPI_KEY).
        var saved = Environment.GetEnvironmentVariable("SDAPI_KEY");
        Environment.SetEnvironmentVariable("SDAPI_KEY", null);
        CliRun run;
        try
        {
            run = await CliHarness.RunAsync("generate", "--base-url", _api.BaseUrl.ToString(), "--prompt", "x");
        }
        finally
        {
            Environment.SetEnvironmentVariable("SDAPI_KEY", saved);
        }
        run.Exit.Should().Be(ExitCodes.BadInput);
        run.ErrorLines.Should().ContainSingle().Which.Should().Contain("--key").And.Contain("SDAPI_KEY");
    }

    [Fact]
    public async Task An_unreachable_server_is_one_line_and_exit_1()
    {
        var closed = _api.BaseUrl;
        await _api.DisposeAsync();
        _api = await FakeApi.StartAsync(); // DisposeAsync at the end needs a live one
        var run = await CliHarness.RunAsync("generate", "--base-url", closed.ToString(), "--key", "k", "--prompt", "x", "--out", _out.FullName);
        run.Exit.Should().Be(ExitCodes.Failure, run.ToString());
        run.ErrorLines.Should().ContainSingle().Which.Should().StartWith("sdapi generate:");
    }
}
