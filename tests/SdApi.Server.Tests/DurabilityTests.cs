using System.Text.Json.Nodes;
using SdApi.Server.Jobs;
using SdApi.Server.Tests.Infrastructure;

namespace SdApi.Server.Tests;

/// <summary>Jobs live in SQLite: a killed process loses nothing it accepted, and a graceful stop requeues what it could
/// not finish.</summary>
public sealed class DurabilityTests
{
    private static readonly Dictionary<string, string?> Background = new()
    {
        ["SdApi:Jobs:SyncBudget"] = "00:00:00",
        ["SdApi:Limits:MaxQueuedPerKey"] = "20",
    };

    [Fact]
    public async Task Killing_the_process_mid_generation_loses_no_job()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "sdapi-server-tests", Guid.NewGuid().ToString("N"));
        int port;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            var ids = new List<long>();
            await using (var server = await ServerProcess.StartAsync(dataDir, settings: Background))
            {
                port = server.BaseAddress.Port; // the restart serves the same address, as the output links name it
                // a long generation first (1024x1024, 30 steps: seconds on the built-in model), then two small ones behind it
                for (var i = 0; i < 3; i++)
                {
                    var body = i == 0 ? Bodies.Text2Img(size: 1024).With("num_inference_steps", "30") : Bodies.Text2Img().With("seed", i);
                    using var response = await http.PostAsync(new Uri(server.BaseAddress, "/api/v6/images/text2img"),
                        new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
                    var answer = await ApiAnswer.ReadAsync(response);
                    answer.Status.Should().Be("processing", answer.Text);
                    ids.Add(answer.Body.GetProperty("id").GetInt64());
                }
                var until = DateTime.UtcNow.AddSeconds(20);
                while (await server.RunningAsync(http) == 0 && DateTime.UtcNow < until)
                    await Task.Delay(10); // polls the server process (another process) until a generation runs
                (await server.RunningAsync(http)).Should().BeGreaterThan(0, "the kill must land during a generation");
                server.Kill();
            }

            await using (var restarted = await ServerProcess.StartAsync(dataDir, port, Background))
            {
                foreach (var id in ids)
                {
                    var until = DateTime.UtcNow.AddSeconds(60);
                    ApiAnswer answer;
                    do
                    {
                        using var response = await http.PostAsync(new Uri(restarted.BaseAddress, $"/api/v6/images/fetch/{id}"),
                            new StringContent(new JsonObject { ["key"] = ServerHost.Key }.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
                        answer = await ApiAnswer.ReadAsync(response);
                        answer.StatusCode.Should().Be(200, $"job {id} must survive the kill: {answer.Text}");
                        if (answer.Status != "processing")
                            break;
                        await Task.Delay(100); // polls the restarted server process until the job is final
                    } while (DateTime.UtcNow < until);

                    answer.Status.Should().BeOneOf("success", "failed");
                    if (answer.Status == "failed")
                        answer.Message.Should().NotBeNullOrEmpty();
                    else
                        foreach (var url in answer.Body.GetProperty("output").EnumerateArray())
                            (await http.GetAsync(url.GetString())).IsSuccessStatusCode.Should().BeTrue();
                }
            }
        }
        finally
        {
            ServerHost.TryDelete(dataDir);
        }
    }

    [Fact]
    public async Task Graceful_shutdown_requeues_a_running_job_and_the_next_start_finishes_it()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "sdapi-server-tests", Guid.NewGuid().ToString("N"));
        try
        {
            long id;
            var gate = new GatedGenerator();
            await using (var host = await ServerHost.StartAsync(Background, gate.Install, dataDir))
            {
                var answer = await host.PostAsync("/api/v6/images/text2img", Bodies.Text2Img());
                id = answer.Body.GetProperty("id").GetInt64();
                await gate.WaitForStartsAsync(); // signalled by the server's generation thread
                await host.StopAsync();
                var store = (JobStore)host.Services.GetService(typeof(JobStore))!;
                (await store.GetAsync(id))!.Status.Should().Be(JobStatus.Queued);
            }

            await using var again = await ServerHost.StartAsync(Background, dataDir: dataDir);
            var done = await Bodies.FetchWhenDoneAsync(again, $"/api/v6/images/fetch/{id}", new JsonObject { ["key"] = ServerHost.Key });
            done.Status.Should().Be("success", done.Text);
        }
        finally
        {
            ServerHost.TryDelete(dataDir);
        }
    }

    [Fact]
    public async Task A_job_interrupted_too_often_ends_failed_with_a_message_on_restart()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "sdapi-server-tests", Guid.NewGuid().ToString("N"));
        try
        {
            long id;
            var gate = new GatedGenerator();
            await using (var host = await ServerHost.StartAsync(Background, gate.Install, dataDir))
            {
                id = (await host.PostAsync("/api/v6/images/text2img", Bodies.Text2Img())).Body.GetProperty("id").GetInt64();
                var store = (JobStore)host.Services.GetService(typeof(JobStore))!;
                await gate.WaitForStartsAsync(); // signalled by the server's generation thread
                // as if earlier processes had died during this job three times (the graceful stop below
                // gives back the attempt it interrupts)
                for (var i = 0; i < 3; i++)
                    await store.MarkRunningAsync(id);
            }

            await using var again = await ServerHost.StartAsync(Background, dataDir: dataDir);
            var answer = await again.PostAsync($"/api/v6/images/fetch/{id}", new JsonObject { ["key"] = ServerHost.Key });
            answer.Status.Should().Be("failed", answer.Text);
            answer.Message.Should().Contain("interrupted");
        }
        finally
        {
            ServerHost.TryDelete(dataDir);
        }
    }
}
