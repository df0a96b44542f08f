using System.Security.Cryptography;
using SdApi.Bindings;
using SdApi.Engine.Pipeline;
using SdApi.Server.Generated;

namespace SdApi.Server.Generation;

/// <summary>What a generate call asks the engine for: the typed call (spec defaults already applied by the generated
/// <c>GenerateCall.From{OperationId}</c>) mapped onto the engine's request. A field the spec gives
/// no default and the request leaves out takes the engine's own default (<see cref="EngineDefaults"/>); nothing here
/// restates one.</summary>
/// <param name="Call">The request as the generated stubs typed it.</param>
/// <param name="ModelId">The requested <c>model_id</c> (the built-in model's id when the request names none).</param>
/// <param name="Engine">The engine request without input images: every effective parameter (what meta reports).</param>
/// <param name="Notes">Fields the reference engine accepted but does not honour, one sentence each naming the field.</param>
public sealed record GenerationParameters(GenerateCall Call, string ModelId, GenerationRequest Engine, IReadOnlyList<string> Notes)
{
    /// <summary>The engine's defaults for what the spec leaves to the provider (size, steps, guidance, strength ...).</summary>
    public static GenerationRequest EngineDefaults { get; } = new();

    /// <summary>The model that serves a request without model_id (and, unless StrictModels, any unknown id).</summary>
    public static string BuiltInModel => DiffusionEngine.BuiltInModelId;

    public int Samples => Engine.Samples;
    public int Width => Engine.Width;
    public int Height => Engine.Height;
    public long Seed => Engine.Seed ?? 0;
    public IReadOnlyList<string> LoraModels => [.. Engine.Loras.Select(l => l.Id)];

    /// <summary>The step count: <c>num_inference_steps</c> (text2img, img2img) or <c>steps</c> (inpaint), in this one place
    /// until the spec names them as one field.</summary>
    public static int? RequestedSteps(GenerateCall call) => call.NumInferenceSteps ?? call.Steps;

    /// <summary>The request's seed, or null when it asks for a random one (absent, null, or negative).</summary>
    public static long? RequestedSeed(GenerateCall call) => call.Seed is { } s and >= 0 ? s : null;

    /// <summary>The seed a job runs with: the requested one, else a random draw in the range the engine itself draws
    /// from (<c>[0, int.MaxValue)</c>), so a reported seed can always be sent back explicitly.</summary>
    public static long ChooseSeed(GenerateCall call) => RequestedSeed(call) ?? RandomNumberGenerator.GetInt32(int.MaxValue);

    private static int RoundToLatent(long size) => size <= 0 ? (int)size : (int)Math.Max(8, size / 8 * 8);

    /// <param name="seed">The seed chosen when the job was accepted (used when the request names none).</param>
    public static GenerationParameters From(GenerateCall call, long seed)
    {
        ArgumentNullException.ThrowIfNull(call);
        var d = EngineDefaults;
        var loras = call.LoraModel ?? [];
        var strengths = call.LoraStrength ?? [];
        var modelId = string.IsNullOrEmpty(call.ModelId) ? BuiltInModel : call.ModelId;
        var enhance = call.EnhancePrompt ?? d.EnhancePrompt;
        var engine = new GenerationRequest
        {
            Mode = call.Operation switch
            {
                GenerateOperation.Img2Img => GenerationMode.Img2Img,
                GenerateOperation.Inpaint => GenerationMode.Inpaint,
                _ => GenerationMode.Text2Img,
            },
            ModelId = modelId,
            Prompt = PromptStyle.Apply(call.Prompt ?? d.Prompt, enhance ? call.EnhanceStyle : null),
            NegativePrompt = call.NegativePrompt,
            // A size the spec accepts with a warning (not a multiple of 8: rules.md Conflicts) is rounded down to the
            // multiple of 8 the engine's latent grid needs, at least 8.
            Width = RoundToLatent(call.Width ?? d.Width),
            Height = RoundToLatent(call.Height ?? d.Height),
            Samples = call.Samples ?? d.Samples,
            Steps = RequestedSteps(call) ?? d.Steps,
            GuidanceScale = call.GuidanceScale ?? d.GuidanceScale,
            Seed = RequestedSeed(call) ?? seed,
            ClipSkip = call.ClipSkip ?? d.ClipSkip,
            Scheduler = call.Scheduler?.Value,
            UseKarrasSigmas = call.UseKarrasSigmas ?? d.UseKarrasSigmas,
            AlgorithmType = call.AlgorithmType is { } a && !string.Equals(a.Value, AlgorithmType.None.Value, StringComparison.OrdinalIgnoreCase) ? a.Value : null,
            // lora_strength i belongs to lora_model i; a missing strength is full strength (the LoRA pages' example).
            Loras = [.. loras.Select((id, i) => new LoraSelection(id, i < strengths.Count ? strengths[i] : 1.0))],
            EmbeddingsModel = string.IsNullOrEmpty(call.EmbeddingsModel) ? null : call.EmbeddingsModel,
            Vae = string.IsNullOrEmpty(call.Vae) ? null : call.Vae,
            Strength = call.Strength ?? d.Strength,
            Upscale = UpscaleFactor(call.Upscale),
            Panorama = call.Panorama ?? d.Panorama,
            HighresFix = call.HighresFix ?? d.HighresFix,
            SafetyChecker = call.SafetyChecker ?? d.SafetyChecker,
            SafetyCheckerType = call.SafetyCheckerType?.Value,
            EnhancePrompt = enhance,
        };
        return new GenerationParameters(call, modelId, engine, UnhonouredFields.Notes(call));
    }

    /// <summary>upscale: "yes" = 2 (the LoRA pages), "no" = 1, or the factor 1, 2, 3 (the Text to Image pages).</summary>
    private static int UpscaleFactor(Upscale? value) => value?.Value.ToLowerInvariant() switch
    {
        "yes" => 2,
        "2" => 2,
        "3" => 3,
        _ => EngineDefaults.Upscale,
    };
}
