using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using ClientBench.HandWritten;
using SdApi.Bindings;
using SdApi.Bindings.Http;

namespace ClientBench;

/// <summary>One v6 text2img call end to end: build the body, validate (SdApi and the hand-written client), serialize,
/// send through an in-memory HttpMessageHandler, read the success answer into typed models. NSwag is the baseline.</summary>
[MemoryDiagnoser]
[Config(typeof(InProcessConfig))]
public class ClientRoundTripBenchmarks
{
    /// <summary>In-process: BenchmarkDotNet's generated side project would have to build inside this repository's
    /// central package management; one process, same JIT settings for the three clients.</summary>
    private sealed class InProcessConfig : ManualConfig
    {
        public InProcessConfig() => AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(5).WithIterationCount(30));
    }

    private SdApiClient _sdapi = null!;
    private NSwagBench.NSwagClient _nswag = null!;
    private StjClient _stj = null!;
    private V6Text2ImgRequest _sdapiRequest = null!;
    private NSwagBench.V6Text2ImgRequest _nswagRequest = null!;
    private StjText2ImgRequest _stjRequest = null!;

    [GlobalSetup]
    public void Setup()
    {
        var baseUri = new Uri("http://bench.invalid/");
        _sdapi = new SdApiClient(new HttpClient(new InMemoryHandler(Payloads.SuccessResponse)), new SdApiClientOptions { BaseAddress = baseUri, ApiKey = "bench-key" });
        _nswag = new NSwagBench.NSwagClient(new HttpClient(new InMemoryHandler(Payloads.SuccessResponse))) { BaseUrl = baseUri.ToString() };
        _stj = new StjClient(new HttpClient(new InMemoryHandler(Payloads.SuccessResponse)), baseUri);
        _sdapiRequest = new V6Text2ImgRequest
        {
            Key = "bench-key", ModelId = "midjourney", Prompt = Prompt, NegativePrompt = "blurry", Width = 512, Height = 512,
            Samples = 1, NumInferenceSteps = 20, SafetyChecker = false, EnhancePrompt = true, GuidanceScale = 7.5,
            Panorama = false, SelfAttention = false, Upscale = "no", Tomesd = true, ClipSkip = 2, UseKarrasSigmas = true,
            Scheduler = "UniPCMultistepScheduler",
        };
        _nswagRequest = NSwagRequests.Text2Img(Prompt);
        _stjRequest = new StjText2ImgRequest
        {
            Key = "bench-key", ModelId = "midjourney", Prompt = Prompt, NegativePrompt = "blurry", Width = 512, Height = 512,
            Samples = 1, NumInferenceSteps = 20, SafetyChecker = "no", EnhancePrompt = "yes", GuidanceScale = 7.5,
            Panorama = "no", SelfAttention = "no", Upscale = "no", Tomesd = "yes", ClipSkip = 2, UseKarrasSigmas = "yes",
            Scheduler = "UniPCMultistepScheduler",
        };
        _floor = new HttpClient(new InMemoryHandler(Payloads.SuccessResponse));
        _floorBody = _sdapiRequest.ToJsonUtf8();
        _floorUri = new Uri(baseUri, "api/v6/images/text2img");
        // Every client must read the answer, or the comparison is meaningless.
        if (SdApi().GetAwaiter().GetResult() != 1 || NSwag().GetAwaiter().GetResult() != 1 || HandWrittenStj().GetAwaiter().GetResult() != 1)
            throw new InvalidOperationException("A client did not read the success answer.");
    }

    private const string Prompt = "ultra realistic close up portrait of a cyberpunk woman, blue eyes, cinematic lighting, 8K";

    [Benchmark(Baseline = true, Description = "NSwag client (Newtonsoft)")]
    public async Task<int> NSwag()
    {
        var result = await _nswag.V6Text2ImgAsync(_nswagRequest, CancellationToken.None);
        return result.Output.Count;
    }

    [Benchmark(Description = "SdApi generated client")]
    public async Task<int> SdApi()
    {
        var response = await _sdapi.V6.Text2ImgAsync(_sdapiRequest);
        return response.Value is SuccessResponse success ? success.Output!.Count : -1;
    }

    /// <summary>What every client pays anyway: HttpClient, the request/response messages and the in-memory handler, with a
    /// body serialized once up front and the answer left unparsed. Subtract it to compare the clients' own work.</summary>
    [Benchmark(Description = "HTTP floor (no client work)")]
    public async Task<int> HttpFloor()
    {
        using var content = new ByteArrayContent(_floorBody) { Headers = { ContentType = new("application/json") } };
        using var response = await _floor.PostAsync(_floorUri, content);
        return (await response.Content.ReadAsByteArrayAsync()).Length > 0 ? 1 : 0;
    }

    private HttpClient _floor = null!;
    private byte[] _floorBody = null!;
    private Uri _floorUri = null!;

    [Benchmark(Description = "Hand-written STJ client")]
    public async Task<int> HandWrittenStj()
    {
        var result = await _stj.Text2ImgAsync(_stjRequest);
        return result.Output!.Count;
    }
}
