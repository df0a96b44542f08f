using SdApi.Engine.Imaging;

namespace SdApi.Engine.Pipeline;

/// <summary>One output image: PNG bytes (with the A1111 <c>parameters</c> text chunk) and its decoded RGB pixels.</summary>
public sealed record GeneratedImage(byte[] Png, int Width, int Height, long Seed, bool NsfwContentDetected)
{
    private byte[]? _rgb;

    /// <summary>Interleaved 8-bit RGB, decoded from <see cref="Png"/> on first use (lossless, so exactly the generated
    /// pixels): the engine does not keep a second copy of every image that servers never read.</summary>
    public byte[] Rgb => _rgb ??= ImageDecoder.Decode(Png).ToRgb().Pixels;

    // equality as before (the PNG array, size, seed, flag), not whether the pixels were decoded yet
    public bool Equals(GeneratedImage? other) =>
        other is not null && Png == other.Png && Width == other.Width && Height == other.Height && Seed == other.Seed && NsfwContentDetected == other.NsfwContentDetected;

    public override int GetHashCode() => HashCode.Combine(Png, Width, Height, Seed, NsfwContentDetected);
}

/// <summary>The parameters the engine actually used (what the API echoes as <c>meta</c>).</summary>
public sealed record GenerationMeta
{
    public required string ModelId { get; init; }
    public required string Prompt { get; init; }
    /// <summary>The prompt after enhance_prompt (equal to <see cref="Prompt"/> when not enhanced).</summary>
    public required string EffectivePrompt { get; init; }
    /// <summary>The text enhance_prompt appended, or null.</summary>
    public string? EnhancedPromptSuffix { get; init; }
    public string? NegativePrompt { get; init; }
    public required int Width { get; init; }
    public required int Height { get; init; }
    public required int Samples { get; init; }
    public required int Steps { get; init; }
    public required double GuidanceScale { get; init; }
    public required long Seed { get; init; }
    public required int ClipSkip { get; init; }
    public required string Scheduler { get; init; }
    public bool UseKarrasSigmas { get; init; }
    public string? AlgorithmType { get; init; }
    public IReadOnlyList<LoraSelection> Loras { get; init; } = [];
    /// <summary>LoRA ids that had no adapter file and were synthesized from their id.</summary>
    public IReadOnlyList<string> SynthesizedLoras { get; init; } = [];
    public string? EmbeddingsModel { get; init; }
    public string? Vae { get; init; }
    public double? Strength { get; init; }
    public int Upscale { get; init; } = 1;
    public bool Panorama { get; init; }
    public bool HighresFix { get; init; }
    public bool SafetyChecker { get; init; }
    public string? SafetyCheckerType { get; init; }
    /// <summary>Notes on requested options the chosen model could not honour exactly (e.g. clip_skip on a model without hidden states).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}

/// <summary>Where a generation's time went (wall clock): resolving sessions, prompt encoding, the scheduler loop, VAE decoding, PNG encoding.</summary>
public sealed record GenerationTimings(TimeSpan Resolve, TimeSpan PromptEncoding, TimeSpan Denoising, TimeSpan Decoding, TimeSpan PngEncoding)
{
    /// <summary>CPU time of the thread that ran the generation (Linux; ORT's too when sessions use one intra-op thread).</summary>
    public TimeSpan ThreadCpuTime { get; init; }

    /// <summary>The same time split finer (resolve, prompt encoding, initial noise, denoising, VAE decode, meta, PNG ...), with CPU time inside and outside ORT.</summary>
    public IReadOnlyList<GenerationPhase> Phases { get; init; } = [];
}

/// <summary>The outcome of <see cref="DiffusionEngine.GenerateAsync"/>.</summary>
public sealed record GenerationResult(IReadOnlyList<GeneratedImage> Images, long Seed, GenerationMeta Meta, TimeSpan Elapsed)
{
    public GenerationTimings? Timings { get; init; }

    public IReadOnlyList<bool> NsfwContentDetected => [.. Images.Select(i => i.NsfwContentDetected)];
}

/// <summary>Progress of a running generation: <paramref name="Step"/> of <paramref name="TotalSteps"/> model evaluations done.</summary>
public sealed record GenerationProgress(int Step, int TotalSteps, string Phase);
