namespace SdApi.Engine.Pipeline;

/// <summary>Which of the API's image endpoints a request comes from.</summary>
public enum GenerationMode
{
    Text2Img,
    Img2Img,
    Inpaint,
}

/// <summary>One LoRA adapter of a request: its id in the model store and its own strength.</summary>
public sealed record LoraSelection(string Id, double Strength);

/// <summary>
/// Everything the engine needs for one generation, in the API's vocabulary (already parsed: numbers are numbers,
/// "yes"/"no" are booleans). Defaults are the API's defaults.
/// </summary>
public sealed record GenerationRequest
{
    public GenerationMode Mode { get; init; } = GenerationMode.Text2Img;
    /// <summary>Model id in the store; null or empty = the built-in model.</summary>
    public string? ModelId { get; init; }
    public string Prompt { get; init; } = "";
    public string? NegativePrompt { get; init; }
    /// <summary>Multiple of 8, 8..1024 (wider with <see cref="Panorama"/>). Ignored for img2img/inpaint (the init image's size is used).</summary>
    public int Width { get; init; } = 512;
    public int Height { get; init; } = 512;
    /// <summary>1..4, generated as one batch.</summary>
    public int Samples { get; init; } = 1;
    public int Steps { get; init; } = 30;
    /// <summary>Classifier-free guidance scale; guidance runs (batch of 2) when above 1.</summary>
    public double GuidanceScale { get; init; } = 7.5;
    /// <summary>null = a random seed, reported back in <see cref="GenerationResult.Seed"/>. Sample i uses seed + i.</summary>
    public long? Seed { get; init; }
    /// <summary>1..8: 1 = the text encoder's last layer, k = the k-th layer from the end.</summary>
    public int ClipSkip { get; init; } = 1;
    /// <summary>An API scheduler name (e.g. <c>UniPCMultistepScheduler</c>); null = the model's scheduler_config class.</summary>
    public string? Scheduler { get; init; }
    public bool? UseKarrasSigmas { get; init; }
    public string? AlgorithmType { get; init; }
    public IReadOnlyList<LoraSelection> Loras { get; init; } = [];
    /// <summary>A textual-inversion embedding id; its trigger word in the prompt is the id itself.</summary>
    public string? EmbeddingsModel { get; init; }
    /// <summary>A custom VAE id (store folder <c>vae/&lt;id&gt;/</c>).</summary>
    public string? Vae { get; init; }
    /// <summary>PNG or JPEG bytes (img2img, inpaint).</summary>
    public byte[]? InitImage { get; init; }
    /// <summary>PNG or JPEG bytes (inpaint): white = repaint, black = keep.</summary>
    public byte[]? MaskImage { get; init; }
    /// <summary>0..1: how much of the schedule img2img/inpaint run (0 = return the input).</summary>
    public double Strength { get; init; } = 0.7;
    /// <summary>Upscale factor applied to the output: 1 (none), 2, 3 or 4 (the API's "yes" = 2).</summary>
    public int Upscale { get; init; } = 1;
    public bool Panorama { get; init; }
    public bool HighresFix { get; init; }
    public bool SafetyChecker { get; init; }
    /// <summary><c>sensitive_content_text</c>, <c>pixelate</c>, <c>blur</c> or <c>black</c>.</summary>
    public string? SafetyCheckerType { get; init; }
    public bool EnhancePrompt { get; init; }
}
