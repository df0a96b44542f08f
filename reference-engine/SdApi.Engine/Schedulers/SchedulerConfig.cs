using System.Globalization;
using System.Text.Json;

namespace SdApi.Engine.Schedulers;

/// <summary>
/// A scheduler's configuration as data, with the keys of diffusers' <c>scheduler_config.json</c>.
/// Defaults are the values in Stable Diffusion 1.x's <c>scheduler/scheduler_config.json</c>; a key that file
/// leaves out and whose diffusers default differs per scheduler (for example <c>timestep_spacing</c>) is
/// <c>null</c> here, meaning "the scheduler's own diffusers default".
/// </summary>
public sealed record SchedulerConfig
{
    /// <summary>Stable Diffusion 1.x's scheduler configuration (the defaults of this record).</summary>
    public static SchedulerConfig StableDiffusion1 { get; } = new();

    // --- the noise schedule of training ---
    public int NumTrainTimesteps { get; init; } = 1000;
    public double BetaStart { get; init; } = 0.00085;
    public double BetaEnd { get; init; } = 0.012;
    /// <summary><c>linear</c>, <c>scaled_linear</c> or <c>squaredcos_cap_v2</c>.</summary>
    public string BetaSchedule { get; init; } = "scaled_linear";
    /// <summary>Explicit betas; when set they replace <see cref="BetaSchedule"/>.</summary>
    public IReadOnlyList<double>? TrainedBetas { get; init; }
    public bool RescaleBetasZeroSnr { get; init; }

    // --- how inference timesteps are chosen ---
    public int StepsOffset { get; init; } = 1;
    /// <summary><c>leading</c>, <c>linspace</c> or <c>trailing</c>; null = the scheduler's diffusers default.</summary>
    public string? TimestepSpacing { get; init; }
    /// <summary>Karras et al. (2022) sigmas; null = the scheduler's diffusers default (false).</summary>
    public bool? UseKarrasSigmas { get; init; }

    // --- what the model predicts ---
    /// <summary><c>epsilon</c>, <c>v_prediction</c> or <c>sample</c>.</summary>
    public string PredictionType { get; init; } = "epsilon";

    // --- DDIM / DDPM / PNDM family ---
    public bool ClipSample { get; init; }
    public double ClipSampleRange { get; init; } = 1.0;
    public bool SetAlphaToOne { get; init; }
    public bool SkipPrkSteps { get; init; } = true;
    /// <summary>DDIM's eta (diffusers passes it to <c>step</c>; the SD pipelines use 0).</summary>
    public double Eta { get; init; }
    /// <summary>DDPM's <c>variance_type</c>: <c>fixed_small</c>, <c>fixed_small_log</c>, <c>fixed_large</c>, <c>fixed_large_log</c>.</summary>
    public string VarianceType { get; init; } = "fixed_small";

    // --- multistep solvers (DPM-Solver, DEIS, UniPC) ---
    /// <summary>null = the scheduler's diffusers default (2 for DPM-Solver, UniPC and DEIS).</summary>
    public int? SolverOrder { get; init; }
    /// <summary><c>dpmsolver++</c>, <c>sde-dpmsolver++</c>, <c>dpmsolver</c>, <c>sde-dpmsolver</c> (DPM-Solver), <c>deis</c> (DEIS); null = default.</summary>
    public string? AlgorithmType { get; init; }
    /// <summary><c>midpoint</c>/<c>heun</c> (DPM-Solver), <c>logrho</c> (DEIS), <c>bh1</c>/<c>bh2</c> (UniPC); null = default.</summary>
    public string? SolverType { get; init; }
    public bool LowerOrderFinal { get; init; } = true;
    /// <summary><c>zero</c> or <c>sigma_min</c>: the sigma after the last step; null = the scheduler's default (zero).</summary>
    public string? FinalSigmasType { get; init; }
    public bool EulerAtFinal { get; init; }
    /// <summary>UniPC: predict x0 (true) or noise.</summary>
    public bool PredictX0 { get; init; } = true;

    // --- LCM ---
    public int OriginalInferenceSteps { get; init; } = 50;
    public double TimestepScaling { get; init; } = 10.0;

    // --- KarrasVe (Karras et al. 2022, Algorithm 2) ---
    public double SChurn { get; init; } = 80;
    public double SNoise { get; init; } = 1.007;
    public double SMin { get; init; } = 0.05;
    public double SMax { get; init; } = 50;

    // --- ScoreSdeVe (Song et al. 2021, predictor-corrector) ---
    public double Snr { get; init; } = 0.15;
    public int CorrectSteps { get; init; } = 1;

    /// <summary>
    /// Reads a diffusers <c>scheduler_config.json</c>. Unknown keys (<c>_class_name</c>, <c>_diffusers_version</c>, ...)
    /// are ignored; keys not present keep this record's defaults.
    /// </summary>
    public static SchedulerConfig FromJson(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("scheduler_config.json must hold a JSON object.");
        }

        var c = new SchedulerConfig();
        foreach (var p in root.EnumerateObject())
        {
            var v = p.Value;
            if (v.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            c = p.Name switch
            {
                "num_train_timesteps" => c with { NumTrainTimesteps = v.GetInt32() },
                "beta_start" => c with { BetaStart = v.GetDouble() },
                "beta_end" => c with { BetaEnd = v.GetDouble() },
                "beta_schedule" => c with { BetaSchedule = v.GetString()! },
                "trained_betas" => c with { TrainedBetas = v.EnumerateArray().Select(e => e.GetDouble()).ToArray() },
                "rescale_betas_zero_snr" => c with { RescaleBetasZeroSnr = v.GetBoolean() },
                "steps_offset" => c with { StepsOffset = v.GetInt32() },
                "timestep_spacing" => c with { TimestepSpacing = v.GetString() },
                "use_karras_sigmas" => c with { UseKarrasSigmas = v.GetBoolean() },
                "prediction_type" => c with { PredictionType = v.GetString()! },
                "clip_sample" => c with { ClipSample = v.GetBoolean() },
                "clip_sample_range" => c with { ClipSampleRange = v.GetDouble() },
                "set_alpha_to_one" => c with { SetAlphaToOne = v.GetBoolean() },
                "skip_prk_steps" => c with { SkipPrkSteps = v.GetBoolean() },
                "variance_type" => c with { VarianceType = v.GetString()! },
                "solver_order" => c with { SolverOrder = v.GetInt32() },
                "algorithm_type" => c with { AlgorithmType = v.GetString() },
                "solver_type" => c with { SolverType = v.GetString() },
                "lower_order_final" => c with { LowerOrderFinal = v.GetBoolean() },
                "final_sigmas_type" => c with { FinalSigmasType = v.GetString() },
                "euler_at_final" => c with { EulerAtFinal = v.GetBoolean() },
                "predict_x0" => c with { PredictX0 = v.GetBoolean() },
                "original_inference_steps" => c with { OriginalInferenceSteps = v.GetInt32() },
                "timestep_scaling" => c with { TimestepScaling = v.GetDouble() },
                "s_churn" => c with { SChurn = v.GetDouble() },
                "s_noise" => c with { SNoise = v.GetDouble() },
                "s_min" => c with { SMin = v.GetDouble() },
                "s_max" => c with { SMax = v.GetDouble() },
                "snr" => c with { Snr = v.GetDouble() },
                "correct_steps" => c with { CorrectSteps = v.GetInt32() },
                _ => c,
            };
        }

        return c;
    }

    /// <summary>A short human-readable form, used in error messages.</summary>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{BetaSchedule} betas {BetaStart}..{BetaEnd} over {NumTrainTimesteps}, steps_offset {StepsOffset}, spacing {TimestepSpacing ?? "default"}, {PredictionType}");
}
