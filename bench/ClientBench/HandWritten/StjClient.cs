using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ClientBench.HandWritten;

/// <summary>The baseline a careful developer would write by hand: System.Text.Json source-generated models, a few
/// range checks, one POST. No quirk handling beyond numbers-as-strings.</summary>
internal sealed class StjClient(HttpClient http, Uri baseAddress)
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public async Task<StjSuccess> Text2ImgAsync(StjText2ImgRequest request, CancellationToken cancellationToken = default)
    {
        var errors = Validate(request);
        if (errors is not null) throw new ArgumentException(string.Join("; ", errors), nameof(request));
        var body = JsonSerializer.SerializeToUtf8Bytes(request, StjContext.Default.StjText2ImgRequest);
        using var content = new ByteArrayContent(body) { Headers = { ContentType = Json } };
        using var response = await http.PostAsync(new Uri(baseAddress, "api/v6/images/text2img"), content, cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return JsonSerializer.Deserialize(bytes, StjContext.Default.StjSuccess)!;
    }

    private static List<string>? Validate(StjText2ImgRequest r)
    {
        List<string>? errors = null;
        void Check(bool ok, string message) { if (!ok) (errors ??= []).Add(message); }
        Check(!string.IsNullOrWhiteSpace(r.Key), "key is required");
        Check(!string.IsNullOrWhiteSpace(r.Prompt), "prompt is required");
        Check(r.Width is null or >= 256 and <= 1024 && r.Width % 8 == 0 || r.Width is null, "width");
        Check(r.Height is null or >= 256 and <= 1024 && r.Height % 8 == 0 || r.Height is null, "height");
        Check(r.Samples is null or >= 1 and <= 4, "samples");
        Check(r.NumInferenceSteps is null or >= 1, "steps");
        Check(r.GuidanceScale is null or >= 1 and <= 20, "guidance_scale");
        Check(r.ClipSkip is null or >= 1 and <= 8, "clip_skip");
        return errors;
    }
}

internal sealed class StjText2ImgRequest
{
    [JsonPropertyName("key")] public string? Key { get; set; }
    [JsonPropertyName("model_id")] public string? ModelId { get; set; }
    [JsonPropertyName("prompt")] public string? Prompt { get; set; }
    [JsonPropertyName("negative_prompt")] public string? NegativePrompt { get; set; }
    [JsonPropertyName("width")] public int? Width { get; set; }
    [JsonPropertyName("height")] public int? Height { get; set; }
    [JsonPropertyName("samples")] public int? Samples { get; set; }
    [JsonPropertyName("num_inference_steps")] public int? NumInferenceSteps { get; set; }
    [JsonPropertyName("safety_checker")] public string? SafetyChecker { get; set; }
    [JsonPropertyName("enhance_prompt")] public string? EnhancePrompt { get; set; }
    [JsonPropertyName("guidance_scale")] public double? GuidanceScale { get; set; }
    [JsonPropertyName("panorama")] public string? Panorama { get; set; }
    [JsonPropertyName("self_attention")] public string? SelfAttention { get; set; }
    [JsonPropertyName("upscale")] public string? Upscale { get; set; }
    [JsonPropertyName("tomesd")] public string? Tomesd { get; set; }
    [JsonPropertyName("clip_skip")] public int? ClipSkip { get; set; }
    [JsonPropertyName("use_karras_sigmas")] public string? UseKarrasSigmas { get; set; }
    [JsonPropertyName("scheduler")] public string? Scheduler { get; set; }
}

internal sealed class StjSuccess
{
    [JsonPropertyName("status")] public string? Status { get; set; }
    [JsonPropertyName("generationTime")] public double? GenerationTime { get; set; }
    [JsonPropertyName("id")] public long? Id { get; set; }
    [JsonPropertyName("output")] public List<string>? Output { get; set; }
    [JsonPropertyName("proxy_links")] public List<string>? ProxyLinks { get; set; }
    [JsonPropertyName("nsfw_content_detected")] public JsonElement? NsfwContentDetected { get; set; }
    [JsonPropertyName("meta")] public StjMeta? Meta { get; set; }
}

internal sealed class StjMeta
{
    [JsonPropertyName("prompt")] public string? Prompt { get; set; }
    [JsonPropertyName("model_id")] public string? ModelId { get; set; }
    [JsonPropertyName("scheduler")] public string? Scheduler { get; set; }
    [JsonPropertyName("W")] public int? W { get; set; }
    [JsonPropertyName("H")] public int? H { get; set; }
    [JsonPropertyName("guidance_scale")] public double? GuidanceScale { get; set; }
    [JsonPropertyName("seed")] public long? Seed { get; set; }
    [JsonPropertyName("steps")] public int? Steps { get; set; }
    [JsonPropertyName("n_samples")] public int? NSamples { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Rest { get; set; }
}

[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowReadingFromString, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(StjText2ImgRequest))]
[JsonSerializable(typeof(StjSuccess))]
internal sealed partial class StjContext : JsonSerializerContext;
