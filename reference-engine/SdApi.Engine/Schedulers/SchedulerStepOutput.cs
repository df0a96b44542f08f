namespace SdApi.Engine.Schedulers;

/// <summary>What one <see cref="Scheduler.Step"/> returns.</summary>
/// <param name="PrevSample">The sample for the next entry of <see cref="Scheduler.Timesteps"/> (the final latent after the last).</param>
/// <param name="PredOriginalSample">The scheduler's estimate of the clean latent x0 at this step, where it computes one.</param>
public sealed record SchedulerStepOutput(float[] PrevSample, float[]? PredOriginalSample);
