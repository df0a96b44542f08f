using SdApi.Engine.Pipeline;
using SdApi.Server.Tests.Infrastructure;

namespace SdApi.Server.Tests;

/// <summary>meta.prompt echoes the prompt the engine drew: with enhance_prompt "yes" the enhancer's words are appended,
/// as the live API's success examples show (their meta.prompt carries the added style words).</summary>
public sealed class EnhancePromptMetaTests
{
    [Fact]
    public async Task Meta_prompt_carries_the_enhanced_prompt_only_when_enhance_prompt_is_yes()
    {
        await using var host = await ServerHost.StartAsync();
        const string prompt = "a red circle on grass";

        var enhanced = await host.PostAsync("/api/v6/images/text2img",
            Bodies.Text2Img().With("prompt", prompt).With("enhance_prompt", "yes"));
        var plain = await host.PostAsync("/api/v6/images/text2img",
            Bodies.Text2Img().With("prompt", prompt).With("enhance_prompt", "no"));

        enhanced.Status.Should().Be("success", enhanced.Text);
        plain.Status.Should().Be("success", plain.Text);
        PromptOf(enhanced).Should().Be(PromptEnhancer.Enhance(prompt)).And.NotBe(prompt);
        PromptOf(plain).Should().Be(prompt);
    }

    private static string? PromptOf(ApiAnswer answer) => answer.Body.GetProperty("meta").GetProperty("prompt").GetString();
}
