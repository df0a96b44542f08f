using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SdApi.Server.Generation;
using SdApi.Server.Models;
using SdApi.Server.Tests.Infrastructure;

namespace SdApi.Server.Tests;

/// <summary>Model ids: served by the built-in model unless StrictModels; the model store; eviction and model_reload.</summary>
public sealed class ModelTests
{
    [Fact]
    public async Task Any_model_id_is_served_by_default()
    {
        await using var host = await ServerHost.StartAsync();
        var answer = await host.PostAsync("/api/v6/images/text2img",
            Bodies.Text2Img().With("model_id", "midjourney").With("lora_model", "more_details").With("lora_strength", "0.5"));
        answer.Status.Should().Be("success", answer.Text);
        answer.Body.GetProperty("meta").GetProperty("model_id").GetString().Should().Be("midjourney");
    }

    [Fact]
    public async Task Strict_models_answers_not_found_for_unknown_models_and_loras_and_serves_the_store()
    {
        await using var host = await ServerHost.StartAsync(new Dictionary<string, string?> { ["SdApi:StrictModels"] = "true" });
        // The built-in model is always there; it writes itself into the store on first use. A copy of it under
        // another id is a model of the store like any diffusers ONNX export.
        (await host.PostAsync("/api/v6/images/text2img", Bodies.Text2Img())).Status.Should().Be("success");
        var models = Path.Combine(host.DataDir, "model-store", "models");
        CopyDirectory(Path.Combine(models, SdApi.Engine.Pipeline.DiffusionEngine.BuiltInModelId), Path.Combine(models, "my-model"));
        Directory.CreateDirectory(Path.Combine(host.DataDir, "model-store", "loras"));
        await File.WriteAllTextAsync(Path.Combine(host.DataDir, "model-store", "loras", "my-lora.safetensors"), "not really");

        var unknown = await host.PostAsync("/api/v6/images/text2img", Bodies.Text2Img().With("model_id", "invalid_model_name"));
        unknown.StatusCode.Should().Be(404);
        unknown.Status.Should().Be("error");
        unknown.Message.Should().Be("Model not found: invalid_model_name");

        var unknownLora = await host.PostAsync("/api/v6/images/text2img",
            Bodies.Text2Img().With("model_id", "my-model").With("lora_model", "my-lora,nope").With("lora_strength", "0.5,0.5"));
        unknownLora.StatusCode.Should().Be(404);
        unknownLora.Message.Should().Be("Lora model not found: nope");

        var stored = await host.PostAsync("/api/v6/images/text2img", Bodies.Text2Img().With("model_id", "my-model"));
        stored.Status.Should().Be("success", stored.Text);
        stored.Body.GetProperty("meta").GetProperty("model_id").GetString().Should().Be("my-model");

        // a LoRA file of the store passes the id check (this one is not a valid adapter, so the engine then fails the job)
        var knownLora = await host.PostAsync("/api/v6/images/text2img",
            Bodies.Text2Img().With("model_id", "my-model").With("lora_model", "my-lora").With("lora_strength", "0.5"));
        knownLora.Status.Should().BeOneOf("success", "failed");
        knownLora.Status.Should().Be("failed", "the store's LoRA file is not a valid adapter: " + knownLora.Text);

        (await host.PostAsync("/api/v6/images/model_reload", new { key = ServerHost.Key, model_id = "invalid_model_name" }))
            .StatusCode.Should().Be(404);
        (await host.PostAsync("/api/v6/images/model_reload", new { key = ServerHost.Key, model_id = "my-model" }))
            .Status.Should().Be("success");
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    [Fact]
    public async Task An_idle_model_is_evicted_until_model_reload_has_taken_its_time()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await ServerHost.StartAsync(new Dictionary<string, string?>
        {
            ["SdApi:Models:IdleEviction"] = "00:00:02",
            ["SdApi:Models:ReloadTime"] = "00:00:03",
        }, services => services.AddSingleton<TimeProvider>(time));
        var body = Bodies.Text2Img().With("model_id", "sleepy");
        (await host.PostAsync("/api/v4/dreambooth", body)).Status.Should().Be("success");
        time.Advance(TimeSpan.FromMilliseconds(2300));

        var evicted = await host.PostAsync("/api/v4/dreambooth", body);
        evicted.Status.Should().Be("error");
        evicted.Message.Should().Contain("model_reload");

        var loaded = Signal(host.Services.GetRequiredService<ModelCatalog>(), loads: true);
        var reload = await host.PostAsync("/api/v4/dreambooth/model_reload", new { key = ServerHost.Key, model_id = "sleepy" });
        reload.StatusCode.Should().Be(200);
        reload.Status.Should().Be("processing", reload.Text);
        reload.Body.GetProperty("eta").GetDouble().Should().Be(3);
        (await host.PostAsync("/api/v4/dreambooth", body)).Message.Should().Contain("reloading");

        time.Advance(TimeSpan.FromMilliseconds(2900));
        (await host.PostAsync("/api/v4/dreambooth", body)).Message.Should().Contain("reloading", "0.1 s of the 3 s reload time is left");
        time.Advance(TimeSpan.FromMilliseconds(200));
        // The reload time has passed; the engine's load runs on the server's own threads: wait for its signal.
        (await loaded).Should().Be("sleepy");
        (await host.PostAsync("/api/v6/images/model_reload", new { key = ServerHost.Key, model_id = "sleepy" })).Status
            .Should().Be("success", "the reload time passed and the engine has the model");
        (await host.PostAsync("/api/v4/dreambooth", body)).Status.Should().Be("success");
    }

    [Fact]
    public async Task Eviction_releases_the_engines_model_and_model_reload_loads_it_again()
    {
        var time = new WatchedClock();
        await using var host = await ServerHost.StartAsync(new Dictionary<string, string?>
        {
            ["SdApi:Models:IdleEviction"] = "00:00:02",
            ["SdApi:Models:ReloadTime"] = "00:00:01",
        }, services => services.AddSingleton<TimeProvider>(time));
        var engine = host.Services.GetRequiredService<IModelStore>();
        var builtIn = SdApi.Engine.Pipeline.DiffusionEngine.BuiltInModelId;
        var body = Bodies.Text2Img().With("model_id", "sleepy"); // an unknown id: it runs on the built-in model
        engine.EngineModelId("sleepy").Should().Be(builtIn);
        (await host.PostAsync("/api/v4/dreambooth", body)).Status.Should().Be("success");
        engine.IsLoaded(builtIn).Should().BeTrue("a generation loads its model");

        // idle past IdleEviction: the sweep (every quarter of it, on the clock) releases the engine's sessions without
        // anyone asking
        var catalog = host.Services.GetRequiredService<ModelCatalog>();
        var released = Signal(catalog, loads: false);
        await time.WaitForTimerAsync(TimeSpan.FromMilliseconds(500)); // the sweep waits on the clock
        time.Advance(TimeSpan.FromMilliseconds(2100));
        (await released).Should().Be(builtIn);
        engine.IsLoaded(builtIn).Should().BeFalse("an evicted model holds no sessions");
        (await host.PostAsync("/api/v4/dreambooth", body)).StatusCode.Should().Be(503);
        engine.IsLoaded(builtIn).Should().BeFalse("a refused request loads nothing");

        var loaded = Signal(catalog, loads: true);
        var reload = await host.PostAsync("/api/v4/dreambooth/model_reload", new { key = ServerHost.Key, model_id = "sleepy" });
        reload.Status.Should().Be("processing", reload.Text);
        // generations are refused while it reloads, so only model_reload can have loaded it
        (await loaded).Should().Be("sleepy");
        engine.IsLoaded(builtIn).Should().BeTrue("model_reload loads the model");
        (await host.PostAsync("/api/v4/dreambooth", body)).StatusCode.Should().Be(503, "loaded, but the 1 s reload time has not passed on the clock");
        time.Advance(TimeSpan.FromMilliseconds(1100));
        (await host.PostAsync("/api/v4/dreambooth", body)).Status.Should().Be("success", "the reload time has passed and the engine has the model");
    }

    /// <summary>The id of the first engine load that ends (<paramref name="loads"/>) or engine model released by the
    /// idle sweep: work on the server's own threads, signalled by the catalog, never waited for by the clock.</summary>
    private static Task<string> Signal(ModelCatalog catalog, bool loads)
    {
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (loads)
            catalog.EngineLoadEnded += id => seen.TrySetResult(id);
        else
            catalog.EngineModelReleased += id => seen.TrySetResult(id);
        return seen.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Reload_of_a_loaded_model_answers_success()
    {
        await using var host = await ServerHost.StartAsync();
        var answer = await host.PostAsync("/api/v6/images/model_reload", new { key = ServerHost.Key, model_id = "anything" });
        answer.Status.Should().Be("success", answer.Text);
    }
}
