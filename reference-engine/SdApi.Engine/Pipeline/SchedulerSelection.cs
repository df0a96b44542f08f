using System.Text.Json;
using SdApi.Engine.Schedulers;

namespace SdApi.Engine.Pipeline;

/// <summary>Picks the request's scheduler (or the model's own <c>scheduler_config.json</c> class) through the scheduler factory.</summary>
internal static class SchedulerSelection
{
    /// <summary>Used when neither the request nor the model's configuration names an API scheduler.</summary>
    public const string DefaultScheduler = "UniPCMultistepScheduler";

    /// <summary>A note for meta when the requested scheduler is run through another one.</summary>
    public static string? Note(string effectiveName) => effectiveName == "DDIMInverseScheduler"
        ? "DDIMInverseScheduler maps images to noise; images were drawn with its forward partner, DDIMScheduler, on the same configuration."
        : null;

    public static string EffectiveName(string? requested, string? configJson)
    {
        if (!string.IsNullOrWhiteSpace(requested)) return Canonical(requested);
        var className = ConfigClassName(configJson);
        return className is not null && SchedulerFactory.ApiNames.Contains(className) ? className : DefaultScheduler;
    }

    public static Scheduler Create(GenerationRequest request, string? configJson)
    {
        var config = configJson is null ? SchedulerConfig.StableDiffusion1 : SchedulerConfig.FromJson(configJson);
        var name = EffectiveName(request.Scheduler, configJson);
        try
        {
            var scheduler = SchedulerFactory.Create(name, config, request.UseKarrasSigmas, request.AlgorithmType);
            // DDIMInverse runs image -> noise; images are drawn by its forward partner (DDIM with the same configuration).
            return scheduler is DDIMInverseScheduler inverse ? inverse.CreateForwardPartner() : scheduler;
        }
        catch (ArgumentException e)
        {
            throw new EngineRequestException(e.ParamName == "algorithmType" ? "algorithm_type" : "scheduler", e.Message);
        }
        catch (NotSupportedException e)
        {
            throw new EngineRequestException("scheduler", e.Message);
        }
    }

    private static string Canonical(string name)
    {
        try { return SchedulerFactory.Canonical(name); }
        catch (ArgumentException e) { throw new EngineRequestException("scheduler", e.Message); }
    }

    private static string? ConfigClassName(string? json)
    {
        if (json is null) return null;
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.TryGetProperty("_class_name", out var c) ? c.GetString() : null;
        }
        catch (JsonException) { return null; }
    }
}
