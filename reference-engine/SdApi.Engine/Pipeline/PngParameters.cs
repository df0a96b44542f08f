using System.Globalization;
using SdApi.Engine.Imaging;

namespace SdApi.Engine.Pipeline;

/// <summary>The A1111-style <c>parameters</c> text stored in each PNG, from the effective meta of one sample.</summary>
internal static class PngParameters
{
    public static string Format(GenerationMeta meta, long seed)
    {
        static string N(double v) => A1111Parameters.Number(v);
        var settings = new List<KeyValuePair<string, string>>
        {
            new("Steps", meta.Steps.ToString(CultureInfo.InvariantCulture)),
            new("Sampler", meta.Scheduler + (meta.UseKarrasSigmas ? " Karras" : "")),
            new("CFG scale", N(meta.GuidanceScale)),
            new("Seed", seed.ToString(CultureInfo.InvariantCulture)),
            new("Size", $"{meta.Width}x{meta.Height}"),
            new("Model", meta.ModelId),
            new("Clip skip", meta.ClipSkip.ToString(CultureInfo.InvariantCulture)),
        };
        if (meta.Loras.Count > 0)
        {
            settings.Add(new("Lora", string.Join(",", meta.Loras.Select(l => l.Id))));
            settings.Add(new("Lora strength", string.Join(",", meta.Loras.Select(l => N(l.Strength)))));
        }
        if (meta.Strength is { } strength) settings.Add(new("Denoising strength", N(strength)));
        if (meta.EmbeddingsModel is not null) settings.Add(new("Embeddings", meta.EmbeddingsModel));
        if (meta.Vae is not null) settings.Add(new("VAE", meta.Vae));
        if (meta.HighresFix) settings.Add(new("Hires upscale", "2"));
        if (meta.Panorama) settings.Add(new("Panorama", "yes"));
        if (meta.Upscale > 1) settings.Add(new("Upscale", meta.Upscale.ToString(CultureInfo.InvariantCulture)));
        return A1111Parameters.Format(meta.EffectivePrompt, meta.NegativePrompt, settings);
    }
}
