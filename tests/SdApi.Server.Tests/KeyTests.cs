using SdApi.Server.Auth;
using SdApi.Server.Tests.Infrastructure;

namespace SdApi.Server.Tests;

/// <summary>API keys: configured keys, the generated key, and the API's "Invalid Api Key" answer.</summary>
public sealed class KeyTests
{
    [Theory]
    [InlineData("/api/v6/images/text2img")]
    [InlineData("/api/v4/dreambooth/fetch/1")]
    [InlineData("/api/v6/images/model_reload")]
    public async Task Wrong_key_gets_invalid_api_key(string path)
    {
        await using var host = await ServerHost.StartAsync();
        var answer = await host.PostAsync(path, Bodies.Text2Img().With("key", "wrong").With("model_id", "m").With("request_id", "1"));

        answer.StatusCode.Should().Be(401);
        answer.Status.Should().Be("error");
        answer.Message.Should().Be("Invalid Api Key");
    }

    [Fact]
    public async Task Without_configured_keys_the_server_creates_one_stores_it_and_accepts_only_it()
    {
        await using var host = await ServerHost.StartAsync(withKey: false);
        var keyFile = Path.Combine(host.DataDir, ApiKeyStore.GeneratedKeyFile);
        File.Exists(keyFile).Should().BeTrue();
        var key = (await File.ReadAllTextAsync(keyFile)).Trim();
        key.Should().HaveLength(48);

        (await host.PostAsync("/api/v6/images/text2img", Bodies.Text2Img().With("key", key))).Status.Should().Be("success");
        (await host.PostAsync("/api/v6/images/text2img", Bodies.Text2Img())).Message.Should().Be("Invalid Api Key");
    }

    [Fact]
    public async Task The_generated_key_survives_a_restart()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "sdapi-server-tests", Guid.NewGuid().ToString("N"));
        try
        {
            string first;
            await using (var host = await ServerHost.StartAsync(withKey: false, dataDir: dataDir))
                first = await File.ReadAllTextAsync(Path.Combine(host.DataDir, ApiKeyStore.GeneratedKeyFile));
            await using (var again = await ServerHost.StartAsync(withKey: false, dataDir: dataDir))
                (await File.ReadAllTextAsync(Path.Combine(again.DataDir, ApiKeyStore.GeneratedKeyFile))).Should().Be(first);
        }
        finally
        {
            ServerHost.TryDelete(dataDir);
        }
    }

    [Fact]
    public async Task Several_configured_keys_are_all_accepted()
    {
        await using var host = await ServerHost.StartAsync(new Dictionary<string, string?> { ["SdApi:Keys:1"] = "second-key" });
        (await host.PostAsync("/api/v6/images/text2img", Bodies.Text2Img().With("key", "second-key"))).Status.Should().Be("success");
        (await host.PostAsync("/api/v6/images/text2img", Bodies.Text2Img())).Status.Should().Be("success");
        (await host.PostAsync("/api/v6/images/text2img", Bodies.Text2Img().With("key", "second-ke"))).StatusCode.Should().Be(401);
    }

    [Fact]
    public async Task Keys_come_from_the_environment_as_SdApi__Keys__N()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "sdapi-server-tests", Guid.NewGuid().ToString("N"));
        try
        {
            await using var server = await ServerProcess.StartAsync(dataDir, withKey: false,
                environment: new Dictionary<string, string> { ["SdApi__Keys__0"] = "env-key" });
            using var http = new HttpClient { BaseAddress = server.BaseAddress };
            async Task<ApiAnswer> Reload(string key)
            {
                using var content = new StringContent($"{{\"key\":\"{key}\",\"model_id\":\"m\"}}", System.Text.Encoding.UTF8, "application/json");
                return await ApiAnswer.ReadAsync(await http.PostAsync("/api/v6/images/model_reload", content));
            }

            (await Reload("env-key")).Status.Should().Be("success");
            (await Reload(ServerHost.Key)).Message.Should().Be("Invalid Api Key");
            File.Exists(Path.Combine(dataDir, ApiKeyStore.GeneratedKeyFile)).Should().BeFalse("a configured key means none is generated");
        }
        finally
        {
            ServerHost.TryDelete(dataDir);
        }
    }
}
