using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using SdApi.Bindings;
using SdApi.Bindings.Http;
using SdApi.Bindings.Validation;

namespace SdApi.Generator.Tests;

/// <summary>Rule severity (spec/CONVENTIONS.md, "Severity") as the generated code carries it: the validator returns
/// warnings beside errors, the client sends a request that only warns, logs each warning through ILogger and exposes
/// them on the response; two wire names of the step count are one typed value.</summary>
public class WarningTests
{
    private sealed class Handler : HttpMessageHandler
    {
        public int Sent { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Sent++;
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent("""{"status":"success","id":1,"output":["http://x/a.png"]}""", Encoding.UTF8, "application/json"),
            });
        }
    }

    private sealed class CapturingLogger : ILogger
    {
        public List<(LogLevel Level, string Text)> Entries { get; } = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => Entries.Add((logLevel, formatter(state, exception)));
    }

    [Fact]
    public void A_warning_rule_does_not_make_the_request_invalid()
    {
        var result = new V6Text2ImgRequest { Key = "k", Prompt = "p", Width = 1020, EnhanceStyle = new EnhanceStyle("Enhance") }.Validate();
        result.IsValid.Should().BeTrue(result.ToString());
        result.Violations.Should().BeEmpty();
        result.Warnings.Select(w => (w.Field, w.RuleId, w.Severity)).Should().BeEquivalentTo([
            ("width", "width-multiple-of-8-v6-text2img", RuleSeverity.Warning),
            ("enhance_style", "enhance-style-v6-text2img", RuleSeverity.Warning)]);
        result.ToJson().Should().NotContain("enhance_style", "the API's error shape lists errors only");
    }

    [Fact]
    public void Errors_and_warnings_come_back_together()
    {
        var result = new V6Text2ImgRequest { Key = "k", Prompt = "p", Width = 1020, Samples = 9 }.Validate();
        result.IsValid.Should().BeFalse();
        result.Errors.Keys.Should().Equal("samples");
        result.Warnings.Should().ContainSingle().Which.RuleId.Should().Be("width-multiple-of-8-v6-text2img");
    }

    [Fact]
    public async Task The_client_sends_a_request_that_only_warns_logs_the_warning_and_exposes_it()
    {
        var handler = new Handler();
        var logger = new CapturingLogger();
        var client = new SdApiClient(new HttpClient(handler), new SdApiClientOptions { BaseAddress = new Uri("http://sdapi.test/"), ApiKey = "secret-key-123" }, logger);
        var response = await client.V6.Text2ImgAsync(new V6Text2ImgRequest { Prompt = "p", Webhook = "http://example.com/hook" });
        handler.Sent.Should().Be(1);
        response.Warnings.Should().ContainSingle().Which.RuleId.Should().Be("webhook-https-v6-text2img");
        logger.Entries.Should().ContainSingle(e => e.Level == LogLevel.Warning && e.Text.Contains("webhook-https-v6-text2img", StringComparison.Ordinal));
        logger.Entries.Should().NotContain(e => e.Text.Contains("secret-key-123", StringComparison.Ordinal));

        var clean = await client.V6.Text2ImgAsync(new V6Text2ImgRequest { Prompt = "p", Webhook = "https://example.com/hook" });
        clean.Warnings.Should().BeEmpty();
    }

    [Theory]
    [InlineData("""{"steps":"12"}""", 12)]
    [InlineData("""{"num_inference_steps":7}""", 7)]
    [InlineData("""{"steps":9,"num_inference_steps":"9"}""", 9)]
    [InlineData("""{}""", null)]
    public void Both_step_names_are_one_typed_value_on_every_generation_request(string json, int? expected)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        V4InpaintRequest.FromJson(bytes).InferenceSteps.Should().Be(expected);
        V6InpaintRequest.FromJson(bytes).InferenceSteps.Should().Be(expected);
        V4Text2ImgRequest.FromJson(bytes).InferenceSteps.Should().Be(expected);
        V4Img2ImgRequest.FromJson(bytes).InferenceSteps.Should().Be(expected);
        V6Text2ImgRequest.FromJson(bytes).InferenceSteps.Should().Be(expected);
        V6Img2ImgRequest.FromJson(bytes).InferenceSteps.Should().Be(expected);
    }

    [Fact]
    public void Both_step_names_given_and_different_is_refused_naming_both()
    {
        var result = V4InpaintRequest.FromJson("""{"key":"k","init_image":"https://e.com/a.png","mask_image":"https://e.com/m.png","steps":20,"num_inference_steps":200}"""u8).Validate();
        result.Errors.Keys.Should().BeEquivalentTo(["steps", "num_inference_steps"]);
        result.Violations.Should().Contain(v => v.RuleId == "step-names-v4-inpaint" && v.Message.Contains("steps", StringComparison.Ordinal) && v.Message.Contains("num inference steps", StringComparison.Ordinal));
        result.Violations.Should().Contain(v => v.RuleId == "steps-v4-inpaint" && v.Field == "num_inference_steps", "200 is above the v4 maximum under either name");
    }
}
