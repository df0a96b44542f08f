namespace SdApi.Server.Generation;

/// <summary>The image engine as the job runner sees it: parameters plus decoded input images (<c>init_image</c>,
/// <c>mask_image</c>) in, one PNG per sample out.</summary>
public interface IImageGenerator
{
    Task<IReadOnlyList<byte[]>> GenerateAsync(GenerationParameters parameters, IReadOnlyDictionary<string, byte[]> inputs,
        IProgress<double>? progress, CancellationToken ct);
}
