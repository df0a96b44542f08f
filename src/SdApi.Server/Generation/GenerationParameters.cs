using System.Security.Cryptography;
using System.Text.Json;

namespace SdApi.Server.Generation;

/// <summary>What a generate request asks the engine for, read from the (already validated) request body with the
/// API's documented defaults filled in.</summary>
public sealed record GenerationParameters(
    string Kind,
    string ModelId,
    string Prompt,
    string? NegativePrompt,
    int Width,
    int Height,
    int Samples,
    int Steps,
    double GuidanceScale,
    long Seed,
    double Strength,
    string? Scheduler,
    IReadOnlyList<string> LoraModels,
    IReadOnlyList<double> LoraStrengths,
    bool SafetyChecker,
    string? InitImage,
    string? MaskImage,
    JsonElement Body)
{
    /// <summary>The model that serves a request without model_id (and, unless StrictModels, any unknown id).</summary>
    public static string BuiltInModel => SdApi.Engine.Pipeline.DiffusionEngine.BuiltInModelId;

    /// <summary>The request's seed, or null when it asks for a random one (absent, null, or negative).</summary>
    public static long? RequestedSeed(JsonElement body) => RequestFields.Integer(body, "seed") is { } s and >= 0 ? s : null;

    /// <summary>The seed a job runs with: the requested one, else a random draw in the range the engine itself draws
    /// from (<c>[0, int.MaxValue)</c>), so a reported seed can always be sent back explicitly.</summary>
    public static long ChooseSeed(JsonElement body) => RequestedSeed(body) ?? RandomNumberGenerator.GetInt32(int.MaxValue);

    private static int RoundToLatent(long size) => size <= 0 ? (int)size : (int)Math.Max(8, size / 8 * 8);

    /// <summary>Kinds: <c>text2img</c>, <c>img2img</c>, <c>inpaint</c> (the operation name without its version).
    /// <paramref name="defaultSeed"/> is the seed chosen when the job was accepted, used when the body names none.</summary>
    public static GenerationParameters From(string kind, JsonElement body, long defaultSeed)
    {
        var loras = RequestFields.List(body, "lora_model");
        var strengths = RequestFields.NumberList(body, "lora_strength");
        return new GenerationParameters(
            Kind: kind,
            ModelId: RequestFields.String(body, "model_id") is { Length: > 0 } m ? m : BuiltInModel,
            Prompt: RequestFields.String(body, "prompt") ?? "",
            NegativePrompt: RequestFields.String(body, "negative_prompt"),
            // A size the spec accepts with a warning (not a multiple of 8: rules.md Conflicts #4, #5) is rounded down to
            // the multiple of 8 the engine's latent grid needs, at least 8.
            Width: RoundToLatent(RequestFields.Integer(body, "width") ?? 512),
            Height: RoundToLatent(RequestFields.Integer(body, "height") ?? 512),
            Samples: (int)Math.Clamp(RequestFields.Integer(body, "samples") ?? 1, 1, 4),
            Steps: (int)(RequestFields.Integer(body, "num_inference_steps") ?? RequestFields.Integer(body, "steps") ?? 20),
            GuidanceScale: RequestFields.Number(body, "guidance_scale") ?? 7.5,
            Seed: RequestedSeed(body) ?? defaultSeed,
            Strength: RequestFields.Number(body, "strength") ?? 0.7,
            Scheduler: RequestFields.String(body, "scheduler"),
            LoraModels: loras,
            LoraStrengths: strengths.Count > 0 ? strengths : [.. loras.Select(_ => 1.0)],
            SafetyChecker: RequestFields.YesNo(body, "safety_checker") ?? false,
            InitImage: RequestFields.String(body, "init_image"),
            MaskImage: RequestFields.String(body, "mask_image"),
            Body: body.Clone());
    }
}
