using SdApi.Bindings;
using SdApi.Bindings.Http;
using SdApi.Server.Tests.Infrastructure;

namespace SdApi.Server.Tests;

/// <summary>Every operation of openapi.yaml through the generated client (SdApiClient) against the real server: the
/// answers read as the spec's typed outcomes.</summary>
public sealed class ClientTests
{
    private static SdApiClient Client(ServerHost host, string key = ServerHost.Key) =>
        new(new HttpClient { BaseAddress = host.BaseAddress }, new SdApiClientOptions
        {
            BaseAddress = host.BaseAddress,
            ApiKey = key,
            MaxRetries = 0,
            PollingMinDelay = TimeSpan.FromMilliseconds(50),
            PollingMaxDelay = TimeSpan.FromMilliseconds(200),
            PollingTimeout = TimeSpan.FromSeconds(30),
        });

    [Fact]
    public async Task Every_generate_operation_answers_a_typed_success_with_output_links()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var host = await ServerHost.StartAsync(new Dictionary<string, string?> { ["SdApi:UrlFetch:AllowedHosts:0"] = "127.0.0.1" });
        var client = Client(host);
        var image = receiver.Url("image.png");

        var outcomes = new List<Outcome>
        {
            await client.V4.Text2ImgAsync(new V4Text2ImgRequest { Prompt = "an apple", Width = 64, Height = 64, NumInferenceSteps = 2 }),
            await client.V4.Img2ImgAsync(new V4Img2ImgRequest { Prompt = "an apple", InitImage = image, NumInferenceSteps = 2, Strength = 0.5 }),
            await client.V4.InpaintAsync(new V4InpaintRequest { Prompt = "an apple", InitImage = image, MaskImage = image, Steps = 2, Strength = 0.5 }),
            await client.V6.Text2ImgAsync(new V6Text2ImgRequest { Prompt = "an apple", Width = 256, Height = 256, NumInferenceSteps = 2 }),
            await client.V6.Img2ImgAsync(new V6Img2ImgRequest { Prompt = "an apple", InitImage = image, NumInferenceSteps = 2, Strength = 0.5 }),
            await client.V6.InpaintAsync(new V6InpaintRequest { Prompt = "an apple", InitImage = image, MaskImage = image, Width = 256, Height = 256, Steps = 2, Strength = 0.5 }),
        };

        foreach (var outcome in outcomes)
        {
            var success = outcome.Should().BeOfType<SuccessResponse>().Subject;
            success.Id!.Value.IsNumber.Should().BeTrue();
            success.Output.Should().NotBeNullOrEmpty();
            success.Meta.Should().NotBeNull();
            (await host.Http.GetAsync(success.Output![0])).IsSuccessStatusCode.Should().BeTrue();
        }
    }

    [Fact]
    public async Task Processing_answers_and_every_fetch_operation_read_as_typed_outcomes()
    {
        await using var host = await ServerHost.StartAsync(new Dictionary<string, string?> { ["SdApi:Jobs:SyncBudget"] = "00:00:00" });
        var client = Client(host);

        Outcome started = await client.V6.Text2ImgAsync(new V6Text2ImgRequest { Prompt = "an apple", Width = 256, Height = 256, NumInferenceSteps = 2 });
        var processing = started.Should().BeOfType<ProcessingResponse>().Subject;
        processing.Message.Should().NotBeNullOrEmpty("the API's messege is read as Message");
        processing.FutureLinks.Should().ContainSingle();
        processing.FetchResult.Should().EndWith("/api/v6/images/fetch/" + processing.Id!.Value.Value);
        var id = processing.Id!.Value.Value;

        Outcome done = await client.V6.WaitForCompletionAsync(id);
        done.Should().BeOfType<SuccessResponse>().Which.Output.Should().Equal(processing.FutureLinks);

        var fetched = new List<Outcome>
        {
            await client.V4.FetchAsync(new FetchRequest { RequestId = id }),
            await client.V6.FetchAsync(new FetchRequest { RequestId = id }),
            await client.V4.FetchByIdAsync(id),
            await client.V6.FetchByIdAsync(id),
            await client.V3.FetchByIdAsync(id),
        };
        fetched.Should().AllBeOfType<SuccessResponse>();
        fetched.Cast<SuccessResponse>().Select(s => s.Output).Should().AllBeEquivalentTo(processing.FutureLinks);
    }

    [Fact]
    public async Task Model_reload_through_both_versions_and_errors_read_as_error_responses()
    {
        await using var host = await ServerHost.StartAsync(new Dictionary<string, string?> { ["SdApi:StrictModels"] = "true" });
        var client = Client(host);

        Outcome v4 = await client.V4.ModelReloadAsync(new ModelReloadRequest { ModelId = SdApi.Engine.Pipeline.DiffusionEngine.BuiltInModelId });
        Outcome v6 = await client.V6.ModelReloadAsync(new ModelReloadRequest { ModelId = "no-such-model" });
        v4.Should().BeOfType<SuccessResponse>();
        var notFound = v6.Should().BeOfType<ErrorResponse>().Subject;
        notFound.Message.Should().Be("Model not found: no-such-model");

        Outcome wrongKey = await Client(host, "wrong").V6.FetchByIdAsync("1");
        wrongKey.Should().BeOfType<ErrorResponse>().Which.Message.Should().Be("Invalid Api Key");
    }
}
