namespace SdApi.Server.Generation;

/// <summary>The image engine as the job runner sees it: parameters plus decoded input images (<c>init_image</c>,
/// <c>mask_image</c>) in, one PNG per sample out, with what the engine actually used.</summary>
public interface IImageGenerator
{
    Task<GeneratedImages> GenerateAsync(GenerationParameters parameters, IReadOnlyDictionary<string, byte[]> inputs,
        IProgress<double>? progress, CancellationToken ct);
}

/// <summary>One PNG per sample; <paramref name="Scheduler"/> is the scheduler the engine ran, <paramref name="Width"/> and
/// <paramref name="Height"/> the size it drew (img2img/inpaint follow the init image, not the request), <paramref name="Prompt"/>
/// the prompt it drew (after enhance_prompt, which the live API reports in <c>meta.prompt</c>), <paramref name="EngineModel"/>
/// the model that generated (the built-in one for an unknown id), <paramref name="SynthesizedLoras"/> the LoRA ids that had no
/// adapter file and were synthesized, <paramref name="Notes"/> what the engine could not honour exactly; null when unknown.</summary>
public sealed record GeneratedImages(IReadOnlyList<byte[]> Pngs, bool NsfwContentDetected = false, string? Scheduler = null,
    int? Width = null, int? Height = null, string? Prompt = null, string? EngineModel = null,
    IReadOnlyList<string>? SynthesizedLoras = null, IReadOnlyList<string>? Notes = null);
