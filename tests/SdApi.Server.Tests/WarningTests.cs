using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SdApi.Server.Jobs;
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
    public async Task Warnings_are_kept_with_the_job_when_it_is_accepted_and_the_webhook_carries_them()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var host = await ServerHost.StartAsync(new Dictionary<string, string?> { ["SdApi:UrlFetch:AllowedHosts:0"] = "127.0.0.1" });
        var answer = await host.PostAsync("/api/v4/dreambooth", Bodies.Text2Img().With("width", 263).With("webhook", receiver.Url("hook")));
        answer.Status.Should().Be("success", answer.Text);

        var job = await host.Services.GetRequiredService<JobStore>().GetAsync(answer.Body.GetProperty("id").GetInt64(), CancellationToken.None);
        // the http webhook is doubtful too (webhooks.mdx asks for https)
        job!.Warnings!.Select(w => w.Rule).Should().BeEquivalentTo(["width-multiple-of-8-v4-text2img", "webhook-https-v4-text2img"]);
        job.Warnings!.Should().OnlyContain(w => !string.IsNullOrEmpty(w.Message) && !string.IsNullOrEmpty(w.Field));

        var payload = await receiver.WaitForDeliveryAsync();
        payload.GetProperty("meta").GetProperty("warnings").EnumerateArray().Select(w => w.GetProperty("rule").GetString())
            .Should().BeEquivalentTo(job.Warnings!.Select(w => w.Rule));
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
