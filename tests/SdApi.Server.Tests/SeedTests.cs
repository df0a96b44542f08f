using System.Text.Json.Nodes;
using SdApi.Server.Tests.Infrastructure;

namespace SdApi.Server.Tests;

/// <summary>seed: absent or null means a random seed, drawn when the job is accepted, reported in meta.seed, kept with
/// the job (a restart regenerates the same image), and reproducing the image when sent back explicitly.</summary>
public sealed class SeedTests
{
    [Fact]
    public async Task Requests_without_seed_get_different_random_seeds_that_reproduce_the_image_when_sent_back()
    {
        await using var host = await ServerHost.StartAsync();
        var absent = await host.PostAsync("/api/v6/images/text2img", Bodies.Text2Img().Without("seed"));
        var nullSeed = await host.PostAsync("/api/v6/images/text2img", Bodies.Text2Img().With("seed", null));
        absent.Status.Should().Be("success", absent.Text);
        nullSeed.Status.Should().Be("success", nullSeed.Text);

        var first = SeedOf(absent);
        var second = SeedOf(nullSeed);
        first.Should().NotBe(second, "each request draws its own seed (a collision has probability 2^-31)");
        first.Should().BeInRange(0, int.MaxValue - 1);
        second.Should().BeInRange(0, int.MaxValue - 1);

        // The same first request to a fresh server (same job id 1) draws another seed: the seed is not derived from the job.
        await using (var other = await ServerHost.StartAsync())
        {
            var elsewhere = await other.PostAsync("/api/v6/images/text2img", Bodies.Text2Img().Without("seed"));
            elsewhere.Body.GetProperty("id").GetInt64().Should().Be(absent.Body.GetProperty("id").GetInt64());
            SeedOf(elsewhere).Should().NotBe(first);
        }

        var again = await host.PostAsync("/api/v6/images/text2img", Bodies.Text2Img().With("seed", first));
        again.Status.Should().Be("success", again.Text);
        SeedOf(again).Should().Be(first);
        var original = await DownloadAsync(host, absent);
        (await DownloadAsync(host, again)).Should().Equal(original);
        (await DownloadAsync(host, nullSeed)).Should().NotEqual(original, "another seed draws other noise");
    }

    [Fact]
    public async Task A_random_seed_is_stored_with_the_job_and_survives_a_restart()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "sdapi-server-tests", Guid.NewGuid().ToString("N"));
        var background = new Dictionary<string, string?> { ["SdApi:Jobs:SyncBudget"] = "00:00:00" };
        try
        {
            long id, seed;
            var gate = new GatedGenerator();
            await using (var host = await ServerHost.StartAsync(background, gate.Install, dataDir))
            {
                var accepted = await host.PostAsync("/api/v6/images/text2img", Bodies.Text2Img().Without("seed"));
                accepted.Status.Should().Be("processing", accepted.Text);
                id = accepted.Body.GetProperty("id").GetInt64();
                seed = SeedOf(accepted);
                await gate.WaitForStartsAsync(); // signalled by the server's generation thread
                await host.StopAsync(); // the running job goes back to the queue
            }

            await using var again = await ServerHost.StartAsync(background, dataDir: dataDir);
            var done = await Bodies.FetchWhenDoneAsync(again, $"/api/v6/images/fetch/{id}", new JsonObject { ["key"] = ServerHost.Key });
            done.Status.Should().Be("success", done.Text);
            // the job's links name the first process's port: read the file through the running one
            var restarted = await again.Http.GetByteArrayAsync(new Uri(done.Body.GetProperty("output")[0].GetString()!).AbsolutePath);

            var explicitSeed = await again.PostAsync("/api/v6/images/text2img", Bodies.Text2Img().With("seed", seed));
            var reference = await Bodies.FetchWhenDoneAsync(again, $"/api/v6/images/fetch/{explicitSeed.Body.GetProperty("id").GetInt64()}",
                new JsonObject { ["key"] = ServerHost.Key });
            reference.Status.Should().Be("success", reference.Text);
            restarted.Should().Equal(await again.Http.GetByteArrayAsync(reference.Body.GetProperty("output")[0].GetString()),
                "the restarted job ran with the seed it reported when accepted");
        }
        finally
        {
            ServerHost.TryDelete(dataDir);
        }
    }

    private static long SeedOf(ApiAnswer answer) => answer.Body.GetProperty("meta").GetProperty("seed").GetInt64();

    private static Task<byte[]> DownloadAsync(ServerHost host, ApiAnswer answer) =>
        host.Http.GetByteArrayAsync(answer.Body.GetProperty("output")[0].GetString());
}
