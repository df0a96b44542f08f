using SdApi.Engine.Safety;

namespace SdApi.Engine.Pipeline;

/// <summary>The engine's own limits on a request (the server validates the API's rules before this).</summary>
internal static class RequestValidator
{
    public const int MaxSide = 1024;
    public const int MaxPanoramaWidth = 4096;

    public static void Validate(GenerationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Mode == GenerationMode.Text2Img)
        {
            CheckSide("width", request.Width, request.Panorama ? MaxPanoramaWidth : MaxSide);
            CheckSide("height", request.Height, MaxSide);
        }
        if (request.Samples is < 1 or > 4) throw new EngineRequestException("samples", "samples must be between 1 and 4.");
        if (request.Steps is < 1 or > 1000) throw new EngineRequestException("steps", "steps must be between 1 and 1000.");
        if (request.ClipSkip is < 1 or > 8) throw new EngineRequestException("clip_skip", "clip_skip must be between 1 and 8.");
        if (double.IsNaN(request.GuidanceScale) || request.GuidanceScale < 0 || request.GuidanceScale > 50)
            throw new EngineRequestException("guidance_scale", "guidance_scale must be between 0 and 50.");
        if (request.Mode != GenerationMode.Text2Img && (double.IsNaN(request.Strength) || request.Strength is < 0 or > 1))
            throw new EngineRequestException("strength", "strength must be between 0 and 1.");
        if (request.Upscale is < 1 or > 4) throw new EngineRequestException("upscale", "upscale must be 1 (none), 2, 3 or 4.");
        foreach (var lora in request.Loras)
        {
            if (string.IsNullOrWhiteSpace(lora.Id)) throw new EngineRequestException("lora_model", "A LoRA id is empty.");
            if (double.IsNaN(lora.Strength) || Math.Abs(lora.Strength) > 10)
                throw new EngineRequestException("lora_strength", $"LoRA '{lora.Id}' has strength {lora.Strength}; use a value between -10 and 10.");
        }
        if (request.SafetyChecker && !SafetyCheckerTypes.TryParse(request.SafetyCheckerType, out _))
            throw new EngineRequestException("safety_checker_type", $"Unknown safety_checker_type '{request.SafetyCheckerType}'. Valid values: {string.Join(", ", SafetyCheckerTypes.WireNames)}.");
    }

    private static void CheckSide(string field, int value, int max)
    {
        if (value < 8 || value > max || value % 8 != 0)
            throw new EngineRequestException(field, $"{field} must be a multiple of 8 between 8 and {max} (got {value}).");
    }
}
