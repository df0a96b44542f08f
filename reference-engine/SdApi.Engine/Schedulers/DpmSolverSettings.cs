namespace SdApi.Engine.Schedulers;

/// <summary>How the DPM-Solver schedulers read <c>algorithm_type</c>, <c>solver_type</c> and <c>final_sigmas_type</c>, as diffusers does.</summary>
internal static class DpmSolverSettings
{
    /// <summary>The algorithm type (default <c>dpmsolver++</c>; diffusers maps <c>deis</c> to <c>dpmsolver++</c>).</summary>
    public static string Algorithm(SchedulerConfig config, IReadOnlyList<string> supported)
    {
        var a = config.AlgorithmType ?? "dpmsolver++";
        if (a == "deis")
        {
            a = "dpmsolver++";
        }

        return supported.Contains(a)
            ? a
            : throw new ArgumentException($"algorithm_type '{a}' is not supported here; valid: {string.Join(", ", supported)}.");
    }

    /// <summary>The solver type (default <c>midpoint</c>; diffusers maps logrho/bh1/bh2 to midpoint).</summary>
    public static string SolverType(SchedulerConfig config)
    {
        var s = config.SolverType ?? "midpoint";
        return s switch
        {
            "midpoint" or "heun" => s,
            "logrho" or "bh1" or "bh2" => "midpoint",
            _ => throw new ArgumentException($"solver_type '{s}' is not one of midpoint, heun."),
        };
    }

    /// <summary>
    /// The final sigma type (default <c>zero</c>). diffusers refuses <c>zero</c> for the noise-prediction algorithms
    /// (dpmsolver, sde-dpmsolver); since the API cannot set final_sigmas_type, those use <c>sigma_min</c> here.
    /// </summary>
    public static string FinalSigmasType(SchedulerConfig config, string algorithm)
    {
        var f = config.FinalSigmasType ?? "zero";
        if (f is not ("zero" or "sigma_min"))
        {
            throw new ArgumentException($"final_sigmas_type '{f}' is not one of zero, sigma_min.");
        }

        return algorithm is "dpmsolver" or "sde-dpmsolver" ? "sigma_min" : f;
    }
}
