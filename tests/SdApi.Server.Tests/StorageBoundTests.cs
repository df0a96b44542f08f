using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SdApi.Server.Generation;
using SdApi.Server.Jobs;
using SdApi.Server.Tests.Infrastructure;

namespace SdApi.Server.Tests;

/// <summary>What a client with a key can make the server keep is bounded: model_state rows, string sizes.</summary>
public sealed class StorageBoundTests
{
    [Fact]
    public async Task Model_state_keeps_only_the_most_recent_ids()
    {
        await using var host = await ServerHost.StartAsync(new Dictionary<string, string?>
        {
            ["SdApi:Limits:MaxModelStateRows"] = "3",
            ["SdApi:Limits:MaxQueuedPerKey"] = "100",
        }, services =>
        {
            services.RemoveAll<IImageGenerator>();
            services.AddSingleton<IImageGenerator, PatternImageGenerator>();
        });
        for (var i = 0; i < 8; i++)
        {
            var answer = await host.PostAsync("/api/v6/images/text2img", Bodies.Text2Img().With("model_id", $"model-{i}"));
            answer.StatusCode.Should().Be(200, answer.Text);
        }
        var store = host.Services.GetRequiredService<JobStore>();
        (await store.CountModelStatesAsync()).Should().BeInRange(1, 3);
    }

    [Fact]
    public async Task Over_long_strings_are_refused_before_a_job_row_exists()
    {
        await using var host = await ServerHost.StartAsync(new Dictionary<string, string?> { ["SdApi:Limits:MaxStringLength"] = "100" });
        var dbBefore = new FileInfo(Path.Combine(host.DataDir, "jobs.db")).Length;
        foreach (var field in new[] { "model_id", "negative_prompt", "track_id", "webhook", "some_unknown_field" })
        {
            var answer = await host.PostAsync("/api/v6/images/text2img", Bodies.Text2Img().With(field, new string('a', 101)));
            answer.StatusCode.Should().Be(400, answer.Text);
            answer.Fields.Should().Equal(field);
            answer.Text.Length.Should().BeLessThan(300, "the refusal does not echo the value");
        }
        var fetch = await host.PostAsync("/api/v6/images/fetch/1", new System.Text.Json.Nodes.JsonObject { ["key"] = ServerHost.Key });
        fetch.StatusCode.Should().Be(404, "no job was stored: " + fetch.Text);
        new FileInfo(Path.Combine(host.DataDir, "jobs.db")).Length.Should().Be(dbBefore);
    }
}
