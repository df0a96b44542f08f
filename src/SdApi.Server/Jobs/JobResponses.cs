using System.Globalization;
using System.Text;
using System.Text.Json;
using SdApi.Bindings;
using SdApi.Bindings.Json;
using SdApi.Server.Generated;
using SdApi.Server.Generation;

namespace SdApi.Server.Jobs;

/// <summary>The wire forms of a job's state, as the live API writes them, built from the generated response models (their
/// writers carry the quirks: integer <c>id</c> at top level and string in <c>meta</c>, <c>messege</c> on processing,
/// <c>output: ""</c> on fetch-processing and failed).</summary>
public static class JobResponses
{
    public const string ProcessingTip = "Your image is processing in background, you can get this image using fetch API.";

    /// <summary>The request's <c>track_id</c> as the answers echo it (integer or string, spec: track_id int-or-string):
    /// a canonical integer goes back as a number, anything else (e.g. "007") as the string it was, so nothing is lost.</summary>
    public static ApiId? EchoedTrackId(JobRecord job) => job.TrackId is not { } t ? (ApiId?)null
        : new ApiId(t, long.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n.ToString(CultureInfo.InvariantCulture) == t);

    /// <summary>success, as a generate call answers when the job finished within the sync budget.</summary>
    public static SuccessResponse Success(JobRecord job) => new()
    {
        Status = "success",
        GenerationTime = Math.Round(job.GenerationTime ?? 0, 3),
        Id = job.Id,
        Output = JobLinks.Outputs(job),
        ProxyLinks = JobLinks.Outputs(job),
        NsfwContentDetected = job.NsfwContentDetected,
        WebhookStatus = job.WebhookStatus ?? "",
        Meta = Meta(job),
    };

    /// <summary>success, as fetch answers: <c>{status, id, output}</c> (plus generationTime).</summary>
    public static SuccessResponse FetchSuccess(JobRecord job) => new()
    {
        Status = "success",
        Id = job.Id,
        Output = JobLinks.Outputs(job),
        GenerationTime = Math.Round(job.GenerationTime ?? 0, 3),
    };

    /// <summary>processing, as the generate call answers when the job outlives the sync budget. <paramref name="plannedScheduler"/>
    /// is the scheduler the job will run (meta reports the effective parameters before the engine has run).</summary>
    public static ProcessingResponse Accepted(JobRecord job, string? plannedScheduler = null) => new()
    {
        Status = "processing",
        Tip = ProcessingTip,
        Tip1 = ProcessingTip,
        Eta = Math.Round(job.EtaSeconds, 2),
        Message = "Try to fetch request after seconds estimated",
        WebhookStatus = "",
        FetchResult = JobLinks.FetchResult(job),
        Id = job.Id,
        Output = [],
        Meta = Meta(job, plannedScheduler),
        FutureLinks = JobLinks.Outputs(job),
    };

    /// <summary>processing, as fetch answers while the job is queued or running (<c>output: ""</c>).</summary>
    public static ProcessingResponse FetchProcessing(JobRecord job) => new()
    {
        Status = "processing",
        Id = job.Id,
        Message = "try again later.",
        Output = LinkList.EmptyString,
        Eta = Math.Round(job.EtaSeconds, 2),
        Tip = ProcessingTip,
    };

    public static FailedResponse Failed(JobRecord job) => new()
    {
        Status = "failed",
        Id = job.Id,
        Message = job.Message ?? "Failed, Try Again",
        Output = LinkList.EmptyString,
    };

    /// <summary>A fetch answer for any state.</summary>
    public static IJsonWritable Fetch(JobRecord job) => job.Status switch
    {
        JobStatus.Success => FetchSuccess(job),
        JobStatus.Failed => Failed(job),
        _ => FetchProcessing(job),
    };

    /// <summary>The webhook body: success <c>{status, id, output, generationTime, track_id, meta}</c>, failure
    /// <c>{status: "failed", id, message, track_id}</c>.</summary>
    public static IJsonWritable Webhook(JobRecord job) => job.Status == JobStatus.Success
        ? new SuccessResponse
        {
            Status = "success",
            Id = job.Id,
            Output = JobLinks.Outputs(job),
            GenerationTime = Math.Round(job.GenerationTime ?? 0, 3),
            TrackId = EchoedTrackId(job),
            Meta = Meta(job),
        }
        : new FailedResponse
        {
            Status = "failed",
            Id = job.Id,
            Message = job.Message ?? "Failed, Try Again",
            TrackId = EchoedTrackId(job),
        };

    /// <summary>The job's stored request read back as its typed call (null if the operation is no generate operation).</summary>
    public static GenerateCall? Call(JobRecord job) => GenerateCall.Read(job.Operation, Encoding.UTF8.GetBytes(job.RequestJson));

    /// <summary>meta: the effective parameters under the API's meta names (<c>W</c>, <c>H</c>, <c>steps</c>, <c>n_samples</c>,
    /// ...), the requested <c>model_id</c> and the model that generated, the id as a string (never <c>key</c>). Once the
    /// job has finished, what the engine reported (prompt drawn, scheduler, size) replaces what was planned.</summary>
    public static Meta Meta(JobRecord job, string? plannedScheduler = null)
    {
        var id = job.Id.ToString(CultureInfo.InvariantCulture);
        if (Call(job) is not { } call)
            return new Meta { Id = id, FilePrefix = id };
        var p = GenerationParameters.From(call, job.Seed);
        var e = p.Engine;
        var extras = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (name, value) in call.AdditionalProperties ?? new Dictionary<string, JsonElement>())
            extras[name] = value; // unknown request fields are echoed, as the live API echoes what it was sent
        var notes = p.Notes.Concat(job.EngineNotes ?? []).ToList();
        return new Meta
        {
            Prompt = job.PromptUsed ?? e.Prompt, // once finished, the prompt drawn: enhance_prompt's words included, as the live API echoes
            ModelId = p.ModelId,
            NegativePrompt = e.NegativePrompt ?? "",
            Scheduler = job.Scheduler ?? plannedScheduler ?? e.Scheduler,
            SafetyChecker = e.SafetyChecker,
            SafetyCheckerType = call.SafetyCheckerType?.Value,
            W = job.Width ?? e.Width,   // the size generated once known (img2img/inpaint: the init image's)
            H = job.Height ?? e.Height,
            GuidanceScale = e.GuidanceScale,
            Seed = e.Seed,
            Steps = e.Steps,
            NSamples = e.Samples,
            Tomesd = call.Tomesd,
            Upscale = call.Upscale?.Value,
            MultiLingual = call.MultiLingual,
            Panorama = call.Panorama,
            SelfAttention = call.SelfAttention,
            UseKarrasSigmas = e.UseKarrasSigmas,
            AlgorithmType = call.AlgorithmType?.Value,
            Embeddings = e.EmbeddingsModel,
            Vae = e.Vae,
            Lora = p.LoraModels.Count > 0 ? p.LoraModels : null,
            LoraStrength = e.Loras.Count > 0 ? [.. e.Loras.Select(l => l.Strength)] : null,
            ClipSkip = e.ClipSkip,
            Temp = job.Temp,
            Base64 = job.Base64,
            EnhancePrompt = e.EnhancePrompt,
            IpAdapterId = call.IpAdapterId?.Value,
            IpAdapterScale = call.IpAdapterScale,
            IpAdapterImage = call.IpAdapterImage,
            Webhook = job.Webhook,
            TrackId = EchoedTrackId(job),
            InitImage = call.InitImage,
            MaskImage = call.MaskImage,
            Strength = e.Mode == Engine.Pipeline.GenerationMode.Text2Img ? null : e.Strength,
            EnhanceStyle = call.EnhanceStyle?.Value,
            HighresFix = call.HighresFix,
            // the reference server's own members (spec: "Extra member (not an API field)")
            EngineModelId = job.EngineModel,
            SynthesizedLoras = job.SynthesizedLoras is { Count: > 0 } synthesized ? synthesized : null,
            Notes = notes.Count > 0 ? notes : null,
            Id = id,
            FilePrefix = id,
            // meta.warnings: the generated validator's warnings, kept with the job when it was accepted (a job stored
            // before they were kept is validated again from its stored request).
            Warnings = (job.Warnings ?? LegacyWarnings(job)) is { Count: > 0 } warnings ? warnings : null,
            AdditionalProperties = extras.Count > 0 ? extras : null,
        };
    }

    private static IReadOnlyList<RuleWarning> LegacyWarnings(JobRecord job) =>
        SdApi.Bindings.SdApiOperations.FindById(job.Operation)?.ValidateJson(Encoding.UTF8.GetBytes(job.RequestJson)).Warnings
            .Select(w => new RuleWarning { Field = w.Field, Rule = w.RuleId, Message = w.Message }).ToList() ?? [];

    public static byte[] Serialize(IJsonWritable body) => WireWriter.ToUtf8(body);
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
[System.Text.Json.Serialization.JsonSerializable(typeof(string[]))]
internal sealed partial class JsonContext : System.Text.Json.Serialization.JsonSerializerContext;
