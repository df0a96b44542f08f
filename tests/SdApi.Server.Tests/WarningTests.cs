using System.Text.Json;
using SdApi.Server.Tests.Infrastructure;

namespace SdApi.Server.Tests;

/// <summary>Requests the spec accepts with a warning (rules of severity warning, spec/rules.md) are served, and the
/// answer's meta carries the warnings; sizes that are not multiples of 8 are rounded down for the engine (issue 13:
/// v4 width 7 was accepted and the job then failed).</summary>
public sealed class WarningTests
{
    [Fact]
    public async Task A_v4_size_not_divisible_by_8_is_generated_rounded_down_and_warned()
    {
        await using var host = await ServerHost.StartAsync();
        var answer = await host.PostAsync("/api/v4/dreambooth", Bodies.Text2Img().With("width", 263).With("height", 7));

        answer.StatusCode.Should().Be(200, answer.Text);
        answer.Status.Should().Be("success", answer.Text);
        var meta = answer.Body.GetProperty("meta");
        meta.GetProperty("W").GetInt32().Should().Be(256);
        meta.GetProperty("H").GetInt32().Should().Be(8);
        meta.GetProperty("warnings").EnumerateArray().Select(w => (w.GetProperty("field").GetString(), w.GetProperty("rule").GetString()))
            .Should().BeEquivalentTo([("width", "width-multiple-of-8-v4-text2img"), ("height", "height-multiple-of-8-v4-text2img")]);
    }

    [Fact]
    public async Task A_request_without_doubtful_values_has_no_warnings_member()
    {
        await using var host = await ServerHost.StartAsync();
        var answer = await host.PostAsync("/api/v6/images/text2img", Bodies.Text2Img());
        answer.Status.Should().Be("success", answer.Text);
        answer.Body.GetProperty("meta").TryGetProperty("warnings", out _).Should().BeFalse(answer.Text);
    }

    [Fact]
    public async Task A_v4_size_of_0_is_refused_naming_the_field()
    {
        await using var host = await ServerHost.StartAsync();
        var answer = await host.PostAsync("/api/v4/dreambooth", Bodies.Text2Img().With("width", 0));
        answer.StatusCode.Should().Be(400, answer.Text);
        answer.Fields.Should().Equal("width");
    }
}
