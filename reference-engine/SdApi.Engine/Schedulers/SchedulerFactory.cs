namespace SdApi.Engine.Schedulers;

/// <summary>Maps the Stable Diffusion API's <c>scheduler</c> names (and its <c>use_karras_sigmas</c> / <c>algorithm_type</c>) to schedulers.</summary>
public static class SchedulerFactory
{
    /// <summary>The 18 scheduler names the API accepts, in the order its documentation lists them.</summary>
    public static IReadOnlyList<string> ApiNames { get; } =
    [
        "DDPMScheduler",
        "DDIMScheduler",
        "PNDMScheduler",
        "LMSDiscreteScheduler",
        "EulerDiscreteScheduler",
        "EulerAncestralDiscreteScheduler",
        "DPMSolverMultistepScheduler",
        "HeunDiscreteScheduler",
        "KDPM2DiscreteScheduler",
        "DPMSolverSinglestepScheduler",
        "KDPM2AncestralDiscreteScheduler",
        "UniPCMultistepScheduler",
        "DDIMInverseScheduler",
        "DEISMultistepScheduler",
        "IPNDMScheduler",
        "KarrasVeScheduler",
        "ScoreSdeVeScheduler",
        "LCMScheduler",
    ];

    /// <summary>The DPM-Solver algorithm types diffusers accepts.</summary>
    public static IReadOnlyList<string> AlgorithmTypes { get; } = ["dpmsolver++", "sde-dpmsolver++", "dpmsolver", "sde-dpmsolver"];

    /// <summary>
    /// Creates the scheduler the API names <paramref name="apiName"/> (case-insensitive).
    /// </summary>
    /// <param name="apiName">One of <see cref="ApiNames"/>.</param>
    /// <param name="config">The model's scheduler configuration (e.g. its <c>scheduler_config.json</c>).</param>
    /// <param name="useKarrasSigmas">The request's <c>use_karras_sigmas</c>; null keeps the configuration's value.
    /// Schedulers without a Karras option ignore it.</param>
    /// <param name="algorithmType">The request's <c>algorithm_type</c> (DPM-Solver only); null, empty, "none" or "no"
    /// keep the configuration's value.</param>
    /// <exception cref="ArgumentException">An unknown scheduler name or algorithm type; the message lists the valid ones.</exception>
    public static Scheduler Create(string apiName, SchedulerConfig config, bool? useKarrasSigmas = null, string? algorithmType = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var name = Canonical(apiName);
        if (useKarrasSigmas is { } karras)
        {
            config = config with { UseKarrasSigmas = karras };
        }

        // The API documents algorithm_type for DPMSolverMultistepScheduler; the singlestep solver reads it too.
        if (NormalizeAlgorithmType(algorithmType) is { } algorithm && name is "DPMSolverMultistepScheduler" or "DPMSolverSinglestepScheduler")
        {
            if (name == "DPMSolverSinglestepScheduler" && algorithm == "sde-dpmsolver")
            {
                throw new ArgumentException("algorithm_type 'sde-dpmsolver' is not available for DPMSolverSinglestepScheduler; use dpmsolver++, sde-dpmsolver++ or dpmsolver.", nameof(algorithmType));
            }

            config = config with { AlgorithmType = algorithm };
        }

        return name switch
        {
            "DDPMScheduler" => new DDPMScheduler(config),
            "DDIMScheduler" => new DDIMScheduler(config),
            "PNDMScheduler" => new PNDMScheduler(config),
            "LMSDiscreteScheduler" => new LMSDiscreteScheduler(config),
            "EulerDiscreteScheduler" => new EulerDiscreteScheduler(config),
            "EulerAncestralDiscreteScheduler" => new EulerAncestralDiscreteScheduler(config),
            "DPMSolverMultistepScheduler" => new DPMSolverMultistepScheduler(config),
            "HeunDiscreteScheduler" => new HeunDiscreteScheduler(config),
            "KDPM2DiscreteScheduler" => new KDPM2DiscreteScheduler(config),
            "DPMSolverSinglestepScheduler" => new DPMSolverSinglestepScheduler(config),
            "KDPM2AncestralDiscreteScheduler" => new KDPM2AncestralDiscreteScheduler(config),
            "UniPCMultistepScheduler" => new UniPCMultistepScheduler(config),
            "DDIMInverseScheduler" => new DDIMInverseScheduler(config),
            "DEISMultistepScheduler" => new DEISMultistepScheduler(config),
            "IPNDMScheduler" => new IPNDMScheduler(config),
            "KarrasVeScheduler" => new KarrasVeScheduler(config),
            "ScoreSdeVeScheduler" => new ScoreSdeVeScheduler(config),
            "LCMScheduler" => new LCMScheduler(config),
            _ => throw new InvalidOperationException($"{name} is listed in ApiNames but has no class."),
        };
    }

    /// <summary>The canonical spelling of an API scheduler name, or an <see cref="ArgumentException"/> listing the valid names.</summary>
    public static string Canonical(string? apiName)
    {
        var trimmed = apiName?.Trim();
        foreach (var n in ApiNames)
        {
            if (string.Equals(n, trimmed, StringComparison.OrdinalIgnoreCase))
            {
                return n;
            }
        }

        throw new ArgumentException(
            $"Unknown scheduler '{apiName}'. Valid schedulers: {string.Join(", ", ApiNames)}.", nameof(apiName));
    }

    private static string? NormalizeAlgorithmType(string? algorithmType)
    {
        var a = algorithmType?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(a) || a is "none" or "no")
        {
            return null;
        }

        // The API's parameter table gives "dpmsolver+++" as the example value; it names dpmsolver++.
        if (a == "dpmsolver+++")
        {
            return "dpmsolver++";
        }

        return AlgorithmTypes.Contains(a)
            ? a
            : throw new ArgumentException(
                $"Unknown algorithm_type '{algorithmType}'. Valid values: {string.Join(", ", AlgorithmTypes)} (or none).", nameof(algorithmType));
    }
}
