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
    private NSwag14Bench.NSwag14Client _nswag14 = null!;
    private KiotaBench.KiotaClient _kiota = null!;
    private NSwag14Bench.V6Text2ImgRequest _nswag14Request = null!;
    private KiotaBench.Models.V6Text2ImgRequest _kiotaRequest = null!;
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
        _nswag14 = new NSwag14Bench.NSwag14Client(new HttpClient(new InMemoryHandler(Payloads.SuccessResponse))) { BaseUrl = baseUri.ToString() };
        var kiotaAdapter = new Microsoft.Kiota.Http.HttpClientLibrary.HttpClientRequestAdapter(
            new Microsoft.Kiota.Abstractions.Authentication.AnonymousAuthenticationProvider(),
            httpClient: new HttpClient(new InMemoryHandler(Payloads.SuccessResponse))) { BaseUrl = baseUri.ToString().TrimEnd('/') };
        _kiota = new KiotaBench.KiotaClient(kiotaAdapter);
        _nswag14Request = NSwagRequests.Text2Img14(Prompt);
        _kiotaRequest = KiotaRequests.Text2Img(Prompt);
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
        if (SdApi().GetAwaiter().GetResult() != 1 || NSwag().GetAwaiter().GetResult() != 1 || HandWrittenStj().GetAwaiter().GetResult() != 1
            || Kiota().GetAwaiter().GetResult() != 1)
            throw new InvalidOperationException("A client did not read the success answer.");
    }

    private const string Prompt = "ultra realistic close up portrait of a cyberpunk woman, blue eyes, cinematic lighting, 8K";

    [Benchmark(Baseline = true, Description = "NSwag 14.7 client (npm CLI, Newtonsoft)")]
    public async Task<int> NSwag()
    {
        var result = await _nswag.V6Text2ImgAsync(_nswagRequest, CancellationToken.None);
        return result.Output.Count;
    }

    /// <summary>Not timed: it cannot read the answer (see <see cref="Findings"/>); kept so the finding is re-checked each run.</summary>
    public async Task<int> NSwag14Stj()
    {
        var result = await _nswag14.V6Text2ImgAsync(_nswag14Request, CancellationToken.None);
        return result.Output.Count;
    }

    [Benchmark(Description = "Kiota 1.38 client")]
    public async Task<int> Kiota()
    {
        var result = await _kiota.Api.V6.Images.Text2img.PostAsync(_kiotaRequest);
        return result?.SuccessResponse?.Output?.String?.Count ?? -1;
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

    /// <summary>Peers that compile but cannot complete the round trip on this spec: their error, as this run got it.</summary>
    public static IReadOnlyList<string> Findings()
    {
        var bench = new ClientRoundTripBenchmarks();
        bench.Setup();
        var findings = new List<string>();
        try
        {
            var count = bench.NSwag14Stj().GetAwaiter().GetResult();
            if (count != 1) findings.Add($"NSwag 14.8 (System.Text.Json) read {count} outputs instead of 1.");
        }
        catch (Exception ex)
        {
            var root = ex;
            while (root.InnerException is not null && root is not System.Text.Json.JsonException) root = root.InnerException;
            findings.Add($"NSwag 14.8 client (dotnet tool, System.Text.Json) compiles but cannot read the documented success answer, so it is not timed: `{ex.GetType().Name}: {FirstLine(ex.Message)}` caused by `{root.GetType().Name}: {FirstLine(root.Message)}` (the spec's `oneOf: [integer, string]` fields such as `meta.seed` become `string` properties, and System.Text.Json does not read a JSON number into a string; Newtonsoft, in the 14.7 row, does).");
        }
        return findings;
    }

    private static string FirstLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0];
}
