using System.Text.Json;
using SdApi.Engine.Pipeline;
using SdApi.Server.Tests.Infrastructure;

namespace SdApi.Server.Tests;

/// <summary>Every accepted field has an effect or says it has none: spec defaults reach the engine and meta, fields the
/// reference engine cannot honour are named in meta.notes (and refused in strict mode), meta reports what ran.</summary>
public sealed class FieldEffectTests
{
    private static readonly Dictionary<string, string?> Strict = new() { ["SdApi:StrictModels"] = "true" };

    private static JsonElement Meta(ApiAnswer answer) => answer.Body.GetProperty("meta");

    private static List<string> Notes(ApiAnswer answer) =>
        Meta(answer).TryGetProperty("notes", out var notes) ? [.. notes.EnumerateArray().Select(n => n.GetString()!)] : [];

    [Fact]
    public async Task V6_text2img_without_safety_checker_reports_yes_and_runs_the_checker()
    {
        await using var host = await ServerHost.StartAsync();
        var answer = await host.PostAsync("/api/v6/images/text2img", Bodies.Text2Img().With("prompt", "a nude statue"));

        answer.Status.Should().Be("success", answer.Text);
        Meta(answer).GetProperty("safety_checker").GetString().Should().Be("yes", "v6 safety_checker defaults to yes in the spec");
        answer.Body.GetProperty("nsfw_content_detected").GetBoolean().Should().BeTrue("the checker ran on the unsafe prompt");
    }

    [Fact]
    public async Task V4_text2img_without_safety_checker_does_not_run_the_checker()
    {
        // the v4 pages declare no default for safety_checker: the engine's own (off) applies
        await using var host = await ServerHost.StartAsync();
        var answer = await host.PostAsync("/api/v4/dreambooth", Bodies.Text2Img().With("prompt", "a nude statue"));

        answer.Status.Should().Be("success", answer.Text);
        Meta(answer).GetProperty("safety_checker").GetString().Should().Be("no");
        answer.Body.GetProperty("nsfw_content_detected").GetBoolean().Should().BeFalse();
    }

    [Theory]
    [InlineData("/api/v6/images/text2img")]
    [InlineData("/api/v4/dreambooth")]
    public async Task Enhance_prompt_and_karras_sigmas_default_to_yes(string path)
    {
        await using var host = await ServerHost.StartAsync();
        var answer = await host.PostAsync(path, Bodies.Text2Img());

        answer.Status.Should().Be("success", answer.Text);
        Meta(answer).GetProperty("enhance_prompt").GetString().Should().Be("yes");
        Meta(answer).GetProperty("use_karras_sigmas").GetString().Should().Be("yes");
        Meta(answer).GetProperty("prompt").GetString().Should().Be(PromptEnhancer.Enhance("a red apple on a wooden table"));
    }

    [Fact]
    public async Task Enhance_style_appends_its_words_when_the_prompt_is_enhanced()
    {
        await using var host = await ServerHost.StartAsync();
        var styled = await host.PostAsync("/api/v6/images/text2img", Bodies.Text2Img().With("enhance_style", "cinematic-diva"));
        var unenhanced = await host.PostAsync("/api/v6/images/text2img",
            Bodies.Text2Img().With("enhance_style", "cinematic-diva").With("enhance_prompt", "no"));

        styled.Status.Should().Be("success", styled.Text);
        Meta(styled).GetProperty("prompt").GetString().Should().Contain("cinematic diva style");
        Meta(styled).GetProperty("enhance_style").GetString().Should().Be("cinematic-diva");
        Meta(unenhanced).GetProperty("prompt").GetString().Should().Be("a red apple on a wooden table");
    }

    [Theory]
    [InlineData("ip_adapter_id", "\"ip-adapter_sdxl\"")]
    [InlineData("ip_adapter_image", "\"https://example.com/face.png\"")]
    [InlineData("ip_adapter_scale", "0.6")]
    [InlineData("multi_lingual", "\"yes\"")]
    public async Task A_field_the_engine_cannot_honour_is_noted_in_meta_and_refused_in_strict_mode(string field, string json)
    {
        var value = System.Text.Json.Nodes.JsonNode.Parse(json);
        await using (var host = await ServerHost.StartAsync())
        {
            var answer = await host.PostAsync("/api/v6/images/text2img", Bodies.Text2Img().With(field, value));
            answer.Status.Should().Be("success", answer.Text);
            Notes(answer).Should().Contain(n => n.StartsWith(field + ":", StringComparison.Ordinal), answer.Text);
        }
        await using (var strict = await ServerHost.StartAsync(Strict))
        {
            var refused = await strict.PostAsync("/api/v6/images/text2img", Bodies.Text2Img().With(field, value!.DeepClone()));
            refused.StatusCode.Should().Be(400, refused.Text);
            refused.Fields.Should().Equal([field], refused.Text);
        }
    }

    [Fact]
    public async Task Speed_and_quality_hints_are_noted_not_refused()
    {
        await using var strict = await ServerHost.StartAsync(Strict);
        var answer = await strict.PostAsync("/api/v6/images/text2img",
            Bodies.Text2Img().With("self_attention", "yes").With("tomesd", "yes"));

        answer.Status.Should().Be("success", answer.Text);
        Notes(answer).Should().Contain(n => n.StartsWith("self_attention:", StringComparison.Ordinal))
            .And.Contain(n => n.StartsWith("tomesd:", StringComparison.Ordinal));

        var off = await strict.PostAsync("/api/v6/images/text2img", Bodies.Text2Img().With("self_attention", "no").With("tomesd", "no"));
        Notes(off).Should().NotContain(n => n.StartsWith("self_attention:", StringComparison.Ordinal) || n.StartsWith("tomesd:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Meta_keeps_the_requested_model_id_and_names_the_model_that_generated()
    {
        await using var host = await ServerHost.StartAsync();
        var answer = await host.PostAsync("/api/v6/images/text2img", Bodies.Text2Img().With("model_id", "my-custom-model"));

        answer.Status.Should().Be("success", answer.Text);
        Meta(answer).GetProperty("model_id").GetString().Should().Be("my-custom-model");
        Meta(answer).GetProperty("engine_model_id").GetString().Should().Be(DiffusionEngine.BuiltInModelId);
    }

    [Fact]
    public async Task Synthesized_loras_are_listed_in_meta()
    {
        await using var host = await ServerHost.StartAsync();
        var answer = await host.PostAsync("/api/v6/images/text2img",
            Bodies.Text2Img().With("lora_model", "more_details,ganyu-lora").With("lora_strength", "0.5,0.7"));

        answer.Status.Should().Be("success", answer.Text);
        Meta(answer).GetProperty("synthesized_loras").EnumerateArray().Select(e => e.GetString())
            .Should().BeEquivalentTo(["more_details", "ganyu-lora"], "the store holds no adapter file for either id");
        Meta(answer).GetProperty("lora_strength").GetString().Should().Be("0.5,0.7");
    }

    [Fact]
    public async Task A_processing_answer_carries_the_effective_parameters()
    {
        var gate = new GatedGenerator();
        await using var host = await ServerHost.StartAsync(new Dictionary<string, string?> { ["SdApi:Jobs:SyncBudget"] = "00:00:00" }, gate.Install);
        var accepted = await host.PostAsync("/api/v6/images/inpaint", new System.Text.Json.Nodes.JsonObject
        {
            ["key"] = ServerHost.Key,
            ["prompt"] = "a cat",
            ["init_image"] = Convert.ToBase64String(PatternPng()),
            ["mask_image"] = Convert.ToBase64String(PatternPng()),
            ["base64"] = "yes",
            ["steps"] = "3",
            ["scheduler"] = "DDIMScheduler",
        });

        accepted.Status.Should().Be("processing", accepted.Text);
        var meta = Meta(accepted);
        meta.GetProperty("scheduler").GetString().Should().Be("DDIMScheduler");
        meta.GetProperty("steps").GetInt32().Should().Be(3, "inpaint's steps field is the step count");
        meta.GetProperty("safety_checker").GetString().Should().Be("yes");
        meta.GetProperty("strength").GetDouble().Should().BeInRange(0, 1);
        gate.Open();
    }

    [Fact]
    public async Task A_processing_answer_names_the_models_scheduler_when_the_request_names_none()
    {
        var gate = new GatedGenerator();
        await using var host = await ServerHost.StartAsync(new Dictionary<string, string?> { ["SdApi:Jobs:SyncBudget"] = "00:00:00" }, gate.Install);
        var accepted = await host.PostAsync("/api/v6/images/text2img", Bodies.Text2Img());

        accepted.Status.Should().Be("processing", accepted.Text);
        Meta(accepted).GetProperty("scheduler").GetString().Should().NotBeNullOrEmpty();
        gate.Open();
    }

    private static byte[] PatternPng() =>
        SdApi.Engine.Imaging.PngEncoder.Encode(new SdApi.Engine.Imaging.RgbImage(64, 64, 3, new byte[64 * 64 * 3]));
}
