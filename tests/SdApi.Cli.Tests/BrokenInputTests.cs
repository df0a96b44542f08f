using SdApi.Cli.Infrastructure;
using SdApi.Tests.Shared;

namespace SdApi.Cli.Tests;

/// <summary>Every verb tells "your input is invalid" (exit 2, one line naming file, line and problem) from its verdict
/// (exit 1), and never answers a broken file with a crash.</summary>
public sealed class BrokenInputTests : IDisposable
{
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("sdapi-broken-");

    public void Dispose() => _temp.Delete(recursive: true);

    /// <summary>Broken variants of openapi.yaml: name, how to break it, what the message must say.</summary>
    public static TheoryData<string, string> BrokenSpecs() => new()
    {
        { "duplicate-operation-id", "duplicate operationId 'v4Text2Img'" },
        { "unresolvable-ref", "points to nothing" },
        { "not-openapi", "not an OpenAPI 3 document" },
        { "not-yaml", "not valid YAML at line" },
        { "duplicate-key", "at line 2, column 1" },
        { "empty", "empty" },
    };

    [Theory]
    [MemberData(nameof(BrokenSpecs))]
    public async Task Diff_exits_2_naming_file_line_and_problem(string broken, string problem)
    {
        var path = Write(broken);
        var run = await CliHarness.RunAsync("diff", RepoPaths.Spec, path);
        run.Exit.Should().Be(ExitCodes.BadInput, run.ToString());
        run.ErrorLines.Should().ContainSingle().Which.Should().Contain(path).And.Contain(problem);
        if (broken is "duplicate-operation-id" or "unresolvable-ref")
            run.Error.Should().MatchRegex($@"{System.Text.RegularExpressions.Regex.Escape(path)}:{ExpectedLine(broken)}:", "the line of the second operationId / the broken $ref");
    }

    [Theory]
    [MemberData(nameof(BrokenSpecs))]
    public async Task Mock_export_exits_2_on_a_broken_spec(string broken, string problem)
    {
        var path = Write(broken);
        var run = await CliHarness.RunAsync("mock", "export", "--spec", path, "--out", Path.Combine(_temp.FullName, "out"));
        run.Exit.Should().Be(ExitCodes.BadInput, run.ToString());
        run.Error.Should().Contain(path).And.Contain(problem);
    }

    [Theory]
    [MemberData(nameof(BrokenSpecs))]
    public async Task Verify_exits_2_on_a_broken_spec_before_calling_anyone(string broken, string problem)
    {
        var path = Write(broken);
        var run = await CliHarness.RunAsync("verify", "--spec", path, "--base-url", "http://127.0.0.1:9/", "--key", "k");
        run.Exit.Should().Be(ExitCodes.BadInput, run.ToString());
        run.Error.Should().Contain(path).And.Contain(problem);
    }

    [Fact]
    public async Task Verify_exits_2_naming_a_mapping_file_that_is_not_json()
    {
        var dir = Directory.CreateDirectory(Path.Combine(_temp.FullName, "mappings"));
        var file = Path.Combine(dir.FullName, "broken.json");
        File.WriteAllText(file, "{\n  \"request\": {\n    \"method\": \"POST\",,\n}");
        var run = await CliHarness.RunAsync("verify", "--mappings", _temp.FullName, "--base-url", "http://127.0.0.1:9/", "--key", "k");
        run.Exit.Should().Be(ExitCodes.BadInput, run.ToString());
        run.Error.Should().Contain(file + ":3:");
    }

    [Theory]
    [InlineData("{\n  \"key\": \"k\",\n  \"prompt\": \"x\"\n  \"width\": 512\n}", 4)]
    [InlineData("[1, 2]", 1)]
    [InlineData("", 1)]
    public async Task Validate_exits_2_for_a_body_that_is_not_a_json_object(string body, int line)
    {
        var file = Path.Combine(_temp.FullName, "body.json");
        File.WriteAllText(file, body);
        var run = await CliHarness.RunAsync("validate", "/api/v6/images/text2img", file);
        run.Exit.Should().Be(ExitCodes.BadInput, run.ToString());
        run.Error.Should().Contain($"{file}:{line}:");
    }

    [Fact]
    public async Task Validate_exits_1_for_a_request_the_api_refuses_and_2_for_a_missing_file()
    {
        var file = Path.Combine(_temp.FullName, "body.json");
        File.WriteAllText(file, "{\"key\":\"k\",\"prompt\":\"x\",\"width\":7}");
        var refused = await CliHarness.RunAsync("validate", "/api/v6/images/text2img", file);
        refused.Exit.Should().Be(ExitCodes.Failure, refused.ToString());
        refused.Output.Should().Contain("width");

        var missing = await CliHarness.RunAsync("validate", "/api/v6/images/text2img", Path.Combine(_temp.FullName, "nope.json"));
        missing.Exit.Should().Be(ExitCodes.BadInput, missing.ToString());
        missing.Error.Should().Contain("nope.json");
    }

    [Fact]
    public async Task Generate_exits_2_for_an_init_image_file_that_does_not_exist()
    {
        var missing = Path.Combine(_temp.FullName, "missing.png");
        var run = await CliHarness.RunAsync("generate", "img2img", "--local", "--prompt", "a red circle", "--init-image", missing, "--out", _temp.FullName);
        run.Exit.Should().Be(ExitCodes.BadInput, run.ToString());
        run.Error.Should().Contain(missing);
    }

    [Theory]
    [InlineData("--urls", "not a url", "--urls")]
    [InlineData("--SdApi:Limits:MaxRequestBodyBytes=lots", null, "MaxRequestBodyBytes")]
    [InlineData("--SdApi:Jobs:SyncBudget=soon", null, "SyncBudget")]
    public async Task Serve_exits_2_for_settings_that_cannot_be_used(string option, string? value, string named)
    {
        var args = new List<string> { "serve", "--data-dir", _temp.FullName, option };
        if (value is not null) args.Add(value);
        var run = await CliHarness.RunAsync([.. args]);
        run.Exit.Should().Be(ExitCodes.BadInput, run.ToString());
        run.Error.Should().Contain(named);
    }

    private string Write(string broken)
    {
        var spec = File.ReadAllText(RepoPaths.Spec);
        var text = broken switch
        {
            // a second operation (a copy of v4Text2Img's path under another path) with the same operationId
            "duplicate-operation-id" => spec.Replace("\npaths:\n", "\npaths:\n  /api/v4/dreambooth-copy:\n    post:\n      operationId: v4Text2Img\n      responses:\n        '200':\n          description: copy\n", StringComparison.Ordinal),
            "unresolvable-ref" => spec.Replace("$ref: '#/components/schemas/V6Text2ImgRequest'", "$ref: '#/components/schemas/NoSuchSchema'", StringComparison.Ordinal),
            "not-openapi" => "name: my-service\nversion: 2\nitems:\n  - a\n  - b\n",
            "not-yaml" => "openapi: 3.0.3\npaths:\n  /a: [unclosed\n",
            "duplicate-key" => "openapi: 3.0.3\nopenapi: 3.0.3\npaths: {}\n",
            "empty" => "",
            _ => throw new ArgumentOutOfRangeException(nameof(broken)),
        };
        text.Should().NotBe(spec, "the edit must change the spec");
        var path = Path.Combine(_temp.FullName, broken + ".yaml");
        File.WriteAllText(path, text);
        return path;
    }

    private int ExpectedLine(string broken)
    {
        var lines = File.ReadAllLines(Path.Combine(_temp.FullName, broken + ".yaml"));
        var needle = broken == "duplicate-operation-id" ? "operationId: v4Text2Img" : "NoSuchSchema";
        var hits = lines.Select((l, i) => (l, i)).Where(x => x.l.Contains(needle, StringComparison.Ordinal)).Select(x => x.i + 1).ToList();
        hits.Should().NotBeEmpty();
        return broken == "duplicate-operation-id" ? hits[1] : hits[0];
    }
}
