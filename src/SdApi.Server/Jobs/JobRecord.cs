namespace SdApi.Server.Jobs;

/// <summary>Where a job is. <c>Queued</c> and <c>Running</c> jobs are resumed after a restart.</summary>
public enum JobStatus
{
    Queued,
    Running,
    Success,
    Failed,
}

/// <summary>One accepted generation, as kept in <c>jobs.db</c>.</summary>
/// <param name="Version">API version of the accepting endpoint (<c>v4</c>, <c>v6</c>): links point back at it.</param>
/// <param name="Operation">The operationId that accepted it (<c>v4Text2Img</c>, ...).</param>
/// <param name="RequestJson">The request body as received, minus <c>key</c>, so it can be re-run after a restart.</param>
/// <param name="Scheduler">The scheduler the engine ran (known once finished).</param>
/// <param name="Width">Width of the images generated (known once finished; img2img/inpaint follow the init image).</param>
/// <param name="Height">Height of the images generated (known once finished).</param>
/// <param name="PromptUsed">The prompt the engine drew, after enhance_prompt (known once finished).</param>
/// <param name="EngineModel">The model that generated (known once finished).</param>
/// <param name="SynthesizedLoras">LoRA ids the engine synthesized for lack of an adapter file (known once finished).</param>
/// <param name="EngineNotes">What the engine could not honour exactly (known once finished).</param>
/// <param name="Warnings">The request's validation warnings, kept when it was accepted (null: a job stored before
/// they were kept).</param>
/// <param name="Attempts">How many times a generation of this job started (restarts included).</param>
/// <param name="Seed">The seed the job runs with (the request's, or drawn at random when it was accepted).</param>
/// <param name="OutputFiles">File names under <c>outputs/</c>, one per sample, fixed when the job is accepted.</param>
public sealed record JobRecord(
    long Id,
    string KeyTag,
    string Version,
    string Operation,
    JobStatus Status,
    string RequestJson,
    string BaseUrl,
    long Seed,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt,
    double? GenerationTime,
    IReadOnlyList<string> OutputFiles,
    string? Message,
    string? Webhook,
    string? TrackId,
    bool Temp,
    bool Base64,
    double EtaSeconds,
    string? WebhookStatus,
    int Attempts,
    bool NsfwContentDetected,
    string? Scheduler,
    int? Width,
    int? Height,
    string? PromptUsed = null,
    string? EngineModel = null,
    IReadOnlyList<string>? SynthesizedLoras = null,
    IReadOnlyList<string>? EngineNotes = null,
    IReadOnlyList<SdApi.Bindings.RuleWarning>? Warnings = null)
{
    public bool IsFinished => Status is JobStatus.Success or JobStatus.Failed;
}

/// <summary>What a handler knows about a job before it has an id.</summary>
public sealed record NewJob(
    string KeyTag,
    string Version,
    string Operation,
    string RequestJson,
    string BaseUrl,
    int Samples,
    long Seed,
    string? Webhook,
    string? TrackId,
    bool Temp,
    bool Base64,
    double EtaSeconds,
    IReadOnlyDictionary<string, byte[]> Inputs,
    IReadOnlyList<SdApi.Bindings.Validation.RuleViolation>? Warnings = null);
