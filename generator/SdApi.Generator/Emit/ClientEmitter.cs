using System.Collections.Generic;
using System.Linq;
using SdApi.Generator.Model;
using SdApi.Generator.Parsing;

namespace SdApi.Generator.Emit;

/// <summary>The client: <c>SdApiClient</c> with one sub-client per tag (<c>client.V4.Text2ImgAsync</c>), one async method
/// per operation, polling helpers where a tag has a <c>fetch/{id}</c> operation, and <c>AddSdApiClient</c>.</summary>
internal static class ClientEmitter
{
    private const string Http = "global::SdApi.Bindings.Http";

    public static IEnumerable<GeneratedSource> Emit(ApiSpec spec, GeneratorOptions options)
    {
        var tags = spec.Operations.Select(o => o.Tag).Distinct().ToList();
        yield return new GeneratedSource("Client/SdApiClient.g.cs", EmitRoot(tags, spec.DefaultServer, options));
        foreach (var tag in tags)
            yield return new GeneratedSource("Client/" + ClientName(tag) + ".g.cs", EmitTag(tag, spec, options));
        yield return new GeneratedSource("Client/SdApiServiceCollectionExtensions.g.cs", EmitServices(options));
        if (spec.WebhookModel is { } webhook)
            yield return new GeneratedSource("Client/SdApiWebhooks.g.cs", EmitWebhooks(webhook, spec.SubsetUnions.Any(u => u.Name == webhook) || spec.Outcome?.Name == webhook ? spec.Outcome!.Name : webhook, WebhookCases(spec, webhook), spec.Outcome is not null, options));
    }

    public static string ClientName(string tag) => "SdApi" + Naming.Pascal(tag) + "Client";

    private static string EmitRoot(List<string> tags, string? server, GeneratorOptions options)
    {
        var w = new CodeWriter().Header(options.Namespace);
        w.Doc("The Stable Diffusion API client: one sub-client per API version (tag). Thread-safe; inject it or create it\nwith an <see cref=\"global::System.Net.Http.HttpClient\"/> (e.g. from IHttpClientFactory). Members are virtual and a\nprotected constructor exists so tests can stand in a subclass or a mocking library.");
        w.Open("public partial class SdApiClient");
        w.Doc("For mocking: a subclass overrides the members it uses; the others are not set up.");
        w.Open("protected SdApiClient()");
        w.Line("Pipeline = null!;");
        foreach (var tag in tags)
            w.Line($"{Naming.Pascal(tag)} = null!;");
        w.Close();
        w.Line();
        w.Line($"public SdApiClient(global::System.Net.Http.HttpClient httpClient, {Http}.SdApiClientOptions options, global::Microsoft.Extensions.Logging.ILogger? logger = null, global::System.TimeProvider? timeProvider = null)");
        w.Line($"    : this(new {Http}.SdApiPipeline(httpClient, options, logger, timeProvider, DefaultBaseAddress))");
        w.Line("{");
        w.Line("}");
        w.Line();
        w.Doc("The first <c>servers</c> URL of openapi.yaml: used when neither the options nor the HttpClient set a base address.");
        var absolute = server is not null && System.Uri.TryCreate(server, System.UriKind.Absolute, out _);
        w.Line(absolute
            ? $"public static global::System.Uri? DefaultBaseAddress {{ get; }} = new({Naming.Literal(server!.TrimEnd('/') + "/")});"
            : "public static global::System.Uri? DefaultBaseAddress => null;");
        w.Line();
        w.Doc("Creates the client over an existing pipeline (shared options, retries and logging).");
        w.Line("[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]");
        w.Open($"public SdApiClient({Http}.SdApiPipeline pipeline)");
        w.Line("Pipeline = pipeline ?? throw new global::System.ArgumentNullException(nameof(pipeline));");
        foreach (var tag in tags)
            w.Line($"{Naming.Pascal(tag)} = new {ClientName(tag)}(pipeline);");
        w.Close();
        w.Line();
        w.Doc("The HTTP pipeline (options, retries, logging) every call goes through.");
        w.Line("[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]");
        w.Line($"public {Http}.SdApiPipeline Pipeline {{ get; }}");
        foreach (var tag in tags)
        {
            w.Line();
            w.Doc($"Operations tagged <c>{tag}</c>.");
            w.Line($"public virtual {ClientName(tag)} {Naming.Pascal(tag)} {{ get; }}");
        }
        w.Close();
        return w.ToString();
    }

    private static string EmitTag(string tag, ApiSpec spec, GeneratorOptions options)
    {
        var m = options.ModelsNamespace == options.Namespace ? "" : "global::" + options.ModelsNamespace + ".";
        var w = new CodeWriter().Header(options.Namespace);
        var ops = spec.Operations.Where(o => o.Tag == tag).ToList();
        w.Doc($"The <c>{tag}</c> operations.");
        w.Open($"public partial class {ClientName(tag)}");
        w.Line($"private readonly {Http}.SdApiPipeline _pipeline;");
        w.Line();
        w.Doc("For mocking: a subclass overrides the operations it uses.");
        w.Line($"protected {ClientName(tag)}() => _pipeline = null!;");
        w.Line();
        w.Line($"internal {ClientName(tag)}({Http}.SdApiPipeline pipeline) => _pipeline = pipeline;");
        foreach (var op in ops)
        {
            var request = spec.Models.First(x => x.Name == op.RequestModel);
            var key = request.Properties.FirstOrDefault(p => p.IsSecret && p.Kind == PropertyKind.String);
            var response = m + op.ResponseModel;
            w.Line();
            var startsJob = StartsJob(op);
            w.Doc($"{CodeWriter.Escape(op.Summary ?? op.Name)} (<c>POST {op.Path}</c>, operationId <c>{op.OperationId}</c>).\nFills <c>key</c> from the options when the request has none, validates first (unless switched off), then sends.\n" + (startsJob
                ? "Starts a paid job: resent only after 429 or a connection refused before sending; a 5xx, timeout or lost connection\nthrows <see cref=\"global::SdApi.Bindings.Http.SdApiJobMayExistException\"/> (see SdApiClientOptions.RetryGenerationRiskingDuplicateJobs)."
                : "Idempotent: retried on 429, 5xx, network errors and timeouts."));
            var pathArgs = op.PathParameters.Select(p => $"string {Naming.Camel(Naming.Pascal(p))}").ToList();
            var hasRequired = request.Rules.Any(r => r.Check == "required" && !(key is not null && r.Field == key.JsonName));
            var requestParam = hasRequired ? $"{m}{op.RequestModel} request" : $"{m}{op.RequestModel}? request = null";
            var parameters = string.Join(", ", pathArgs.Concat(new[] { requestParam, "global::System.Threading.CancellationToken cancellationToken = default" }));
            w.Open($"public virtual global::System.Threading.Tasks.Task<{Http}.Response<{response}>> {op.Name}Async({parameters})");
            if (hasRequired) w.Line("global::System.ArgumentNullException.ThrowIfNull(request);");
            else w.Line($"request ??= new {m}{op.RequestModel}();");
            if (key is not null)
                w.Line($"if (string.IsNullOrEmpty(request.{key.CSharpName})) request = request with {{ {key.CSharpName} = _pipeline.ApiKey }};");
            var path = Naming.Literal(op.Path);
            foreach (var p in op.PathParameters)
            {
                var arg = Naming.Camel(Naming.Pascal(p));
                w.Line($"global::System.ArgumentException.ThrowIfNullOrEmpty({arg});");
                path += $".Replace(\"{{{p}}}\", global::System.Uri.EscapeDataString({arg}), global::System.StringComparison.Ordinal)";
            }
            if (startsJob)
            {
                var track = request.Properties.FirstOrDefault(p => p.JsonName == "track_id");
                var trackId = track is null ? "null" : track.Kind == PropertyKind.String ? $"request.{track.CSharpName}" : $"request.{track.CSharpName}?.ToString()";
                w.Line($"return _pipeline.SendAsync({Naming.Literal(op.OperationId)}, {path}, request, {response}.ReadJson, startsJob: true, trackId: {trackId}, cancellationToken);");
            }
            else
            {
                w.Line($"return _pipeline.SendAsync({Naming.Literal(op.OperationId)}, {path}, request, {response}.ReadJson, cancellationToken);");
            }
            w.Close();
        }
        EmitPolling(w, ops, spec, m);
        w.Close();
        return w.ToString();
    }

    /// <summary>Whether calling the operation may start (and bill) a job: everything but fetch, so an operation kind added
    /// to the spec later is treated as paid until it is known to be safe to repeat.</summary>
    private static bool StartsJob(OperationSpec op) => op.Kind != "fetch";

    private static void EmitPolling(CodeWriter w, List<OperationSpec> ops, ApiSpec spec, string m)
    {
        var outcome = spec.Outcome;
        var fetch = ops.FirstOrDefault(o => o.Kind == "fetch" && o.PathParameters.Count == 1 && o.ResponseModel == outcome?.Name);
        if (fetch is null || outcome is null) return;
        var processing = outcome.Cases.FirstOrDefault(c => c.Value == "processing");
        var processingModel = processing is null ? null : spec.Models.FirstOrDefault(x => x.Name == processing.Model);
        var eta = processingModel?.Properties.FirstOrDefault(p => p.JsonName == "eta" && p.Kind is PropertyKind.Number or PropertyKind.Integer);
        var id = processingModel?.Properties.FirstOrDefault(p => p.JsonName == "id" && p.Kind is PropertyKind.IntOrString or PropertyKind.String or PropertyKind.Integer);
        var o = m + outcome.Name;
        var progress = $"global::System.IProgress<{o}>?";
        var ct = "global::System.Threading.CancellationToken cancellationToken = default";
        var result = $"global::System.Threading.Tasks.Task<{Http}.Response<{o}>>";
        var etaLambda = eta is null || processingModel is null ? "static _ => null" : $"static o => o is {m}{processingModel.Name} p ? (double?)p.{eta.CSharpName} : null";
        w.Line();
        w.Doc($"Polls <c>{fetch.Path}</c> until the job succeeds, errors or fails, waiting about <c>eta</c> seconds between calls\n(bounded by the options' polling settings). After <c>PollingTimeout</c> it throws\n<see cref=\"global::SdApi.Bindings.Http.SdApiPollingTimeoutException{{T}}\"/> carrying the last processing answer.");
        w.Line($"public virtual {result} WaitForCompletionAsync(string id, {ct}) => WaitForCompletionAsync(id, null, cancellationToken);");
        w.Line();
        w.Doc("As <see cref=\"WaitForCompletionAsync(string, global::System.Threading.CancellationToken)\"/>, reporting every answer to <paramref name=\"progress\"/>.");
        w.Open($"public virtual {result} WaitForCompletionAsync(string id, {progress} progress, {ct})");
        w.Line("global::System.ArgumentException.ThrowIfNullOrEmpty(id);");
        w.Line($"return {Http}.CompletionPoller.WaitAsync<{o}>(");
        w.Line($"    _pipeline, {Naming.Literal(fetch.OperationId)},");
        w.Line($"    ct => {fetch.Name}Async(id, cancellationToken: ct),");
        w.Line("    static o => o.IsTerminal,");
        w.Line($"    {etaLambda},");
        w.Line("    progress, cancellationToken);");
        w.Close();
        if (id is null || processingModel is null) return;
        w.Line();
        w.Doc("Returns <paramref name=\"started\"/> when it is already final; otherwise polls the job it names until it is.");
        w.Line($"public virtual {result} WaitForCompletionAsync({Http}.Response<{o}> started, {ct}) => WaitForCompletionAsync(started, null, cancellationToken);");
        w.Line();
        w.Doc("As <see cref=\"WaitForCompletionAsync(string, global::System.Threading.CancellationToken)\"/> for a job that <paramref name=\"started\"/> names.");
        w.Open($"public virtual async {result} WaitForCompletionAsync({Http}.Response<{o}> started, {progress} progress, {ct})");
        w.Line("global::System.ArgumentNullException.ThrowIfNull(started);");
        w.Line("if (started.Value.IsTerminal) return started;");
        w.Line($"var jobId = started.Value is {m}{processingModel.Name} p ? p.{id.CSharpName}?.ToString() : null;");
        w.Line("if (string.IsNullOrEmpty(jobId)) throw new global::System.InvalidOperationException(\"The processing answer has no id to poll.\");");
        w.Line("// The first fetch waits the processing answer's eta rather than going out at once.");
        w.Line($"return await {Http}.CompletionPoller.WaitAsync<{o}>(");
        w.Line($"    _pipeline, {Naming.Literal(fetch.OperationId)}, started,");
        w.Line($"    ct => {fetch.Name}Async(jobId, cancellationToken: ct),");
        w.Line("    static o => o.IsTerminal,");
        w.Line($"    {etaLambda},");
        w.Line("    progress, cancellationToken).ConfigureAwait(false);");
        w.Close();
        foreach (var op in ops.Where(x => x.Kind == "generate" && x.ResponseModel == outcome.Name && x.PathParameters.Count == 0))
        {
            w.Line();
            w.Doc($"Runs <c>{op.OperationId}</c> to the end in one call: <see cref=\"{op.Name}Async\"/>, then polls while the job is processing\n(every answer, the first included, goes to <paramref name=\"progress\"/>). Returns success, error or failed; after\n<c>PollingTimeout</c> throws <see cref=\"global::SdApi.Bindings.Http.SdApiPollingTimeoutException{{T}}\"/>.");
            w.Open($"public virtual async {result} GenerateAsync({m}{op.RequestModel} request, {progress} progress = null, {ct})");
            w.Line($"var started = await {op.Name}Async(request, cancellationToken).ConfigureAwait(false);");
            w.Line("progress?.Report(started.Value);");
            w.Line("return await WaitForCompletionAsync(started, progress, cancellationToken).ConfigureAwait(false);");
            w.Close();
        }
    }

    private static string EmitServices(GeneratorOptions options)
    {
        // The extension lives in SdApiNamespace, like every other emitted type, never in a fixed namespace such as
        // Microsoft.Extensions.DependencyInjection: a consumer that emits its own client while referencing the
        // SdApi.Bindings package must not get two identical AddSdApiClient methods in scope (CS0121).
        var w = new CodeWriter().Header(options.Namespace);
        w.Doc("Registers <see cref=\"global::" + options.Namespace + ".SdApiClient\"/> with IHttpClientFactory (bring it into scope with\n<c>using " + options.Namespace + ";</c>).");
        w.Open("public static partial class SdApiServiceCollectionExtensions");
        w.Doc("Adds the client, its options (<c>SdApi</c> configuration section binding is up to the caller) and a named HttpClient.\nReturns the HttpClient builder so callers can add handlers.");
        w.Open($"public static global::Microsoft.Extensions.DependencyInjection.IHttpClientBuilder AddSdApiClient(this global::Microsoft.Extensions.DependencyInjection.IServiceCollection services, global::System.Action<{Http}.SdApiClientOptions>? configure = null)");
        w.Line($"return {Http}.SdApiServices.AddClient(services, configure, static pipeline => new global::{options.Namespace}.SdApiClient(pipeline), global::{options.Namespace}.SdApiClient.DefaultBaseAddress);");
        w.Close();
        w.Line();
        w.Doc($"Adds a named client with its own options (IOptionsMonitor by name) and HttpClient (<c>SdApi:</c> + name); get it from\n<see cref=\"{Http}.ISdApiClientFactory{{TClient}}\"/>. Calling it again with the same name adds to that client's configuration.");
        w.Open($"public static global::Microsoft.Extensions.DependencyInjection.IHttpClientBuilder AddSdApiClient(this global::Microsoft.Extensions.DependencyInjection.IServiceCollection services, string name, global::System.Action<{Http}.SdApiClientOptions>? configure = null)");
        w.Line($"return {Http}.SdApiServices.AddClient(services, name, configure, static pipeline => new global::{options.Namespace}.SdApiClient(pipeline), global::{options.Namespace}.SdApiClient.DefaultBaseAddress);");
        w.Close();
        w.Close();
        return w.ToString();
    }

    /// <summary>The models a webhook body can be, with their <c>track_id</c> and <c>id</c> properties (either may be missing).</summary>
    private static List<(string Model, PropertySpec? TrackId, PropertySpec? Id)> WebhookCases(ApiSpec spec, string webhook)
    {
        var union = spec.SubsetUnions.FirstOrDefault(u => u.Name == webhook) ?? (spec.Outcome?.Name == webhook ? spec.Outcome : null);
        var names = union is null ? new List<string> { webhook } : union.Cases.Select(c => c.Model).ToList();
        return names.Select(n => spec.Models.FirstOrDefault(x => x.Name == n))
            .Where(x => x is not null)
            .Select(x => (x!.Name, (PropertySpec?)x.Properties.FirstOrDefault(p => p.JsonName == "track_id"), (PropertySpec?)x.Properties.FirstOrDefault(p => p.JsonName == "id")))
            .ToList();
    }

    private static string TextOf(string value, PropertySpec p) => p.Kind == PropertyKind.String ? value + "." + p.CSharpName : value + "." + p.CSharpName + "?.ToString()";

    private static string EmitWebhooks(string webhook, string result, List<(string Model, PropertySpec? TrackId, PropertySpec? Id)> cases, bool hasOutcome, GeneratorOptions options)
    {
        var m = options.ModelsNamespace == options.Namespace ? "" : "global::" + options.ModelsNamespace + ".";
        var isUnion = hasOutcome && result != webhook;
        var w = new CodeWriter().Header(options.Namespace);
        w.Doc($"Reads the webhook POST the API sends when a job ends ({webhook}); deliveries are best-effort and may repeat.");
        w.Open("public static partial class SdApiWebhooks");
        w.Doc("Reads a webhook body (tolerantly, like every answer). Malformed JSON throws JsonException.");
        w.Line($"public static {m}{result} Read(global::System.ReadOnlySpan<byte> body) => {m}{webhook}.FromJson(body);");
        w.Line();
        w.Doc("Reads a webhook body from a request stream (e.g. <c>HttpRequest.Body</c>).");
        w.Open($"public static async global::System.Threading.Tasks.Task<{m}{result}> ReadAsync(global::System.IO.Stream body, global::System.Threading.CancellationToken cancellationToken = default)");
        w.Line("global::System.ArgumentNullException.ThrowIfNull(body);");
        w.Line("using var buffer = new global::System.IO.MemoryStream();");
        w.Line("await body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);");
        w.Line($"return {m}{webhook}.FromJson(new global::System.ReadOnlySpan<byte>(buffer.GetBuffer(), 0, (int)buffer.Length));");
        w.Close();
        w.Line();
        w.Doc("Reads a webhook body into a <see cref=\"SdApiWebhookEvent\"/>: the outcome plus the <c>track_id</c> the request set and the job\n<c>id</c>, each as text whether the API sent a number or a string. Malformed JSON throws JsonException.");
        w.Open("public static SdApiWebhookEvent Parse(global::System.ReadOnlySpan<byte> body)");
        w.Line("var outcome = Read(body);");
        w.Line("return new SdApiWebhookEvent(outcome, TrackIdOf(outcome), IdOf(outcome));");
        w.Close();
        w.Line();
        w.Doc("Reads a webhook body from a request stream into a <see cref=\"SdApiWebhookEvent\"/>.");
        w.Open("public static async global::System.Threading.Tasks.Task<SdApiWebhookEvent> ParseAsync(global::System.IO.Stream body, global::System.Threading.CancellationToken cancellationToken = default)");
        w.Line("var outcome = await ReadAsync(body, cancellationToken).ConfigureAwait(false);");
        w.Line("return new SdApiWebhookEvent(outcome, TrackIdOf(outcome), IdOf(outcome));");
        w.Close();
        foreach (var (name, pick) in new[] { ("TrackIdOf", 0), ("IdOf", 1) })
        {
            w.Line();
            w.Open($"private static string? {name}({m}{result} outcome) => outcome switch");
            foreach (var c in cases)
            {
                var p = pick == 0 ? c.TrackId : c.Id;
                if (p is not null) w.Line($"{m}{c.Model} value => {TextOf("value", p)},");
            }
            w.Line("_ => null,");
            w.Close(";");
        }
        w.Close();
        w.Line();
        w.Doc("One webhook delivery: the outcome (success or failed), the request's <c>track_id</c> and the job <c>id</c> as text\n(<c>7</c> and <c>\"7\"</c> both read as <c>\"7\"</c>; null when absent). Deliveries may repeat: use TrackId/Id to dedupe.");
        w.Open($"public sealed record SdApiWebhookEvent({m}{result} Outcome, string? TrackId, string? Id)");
        if (isUnion)
        {
            w.Doc("Which outcome this is.");
            w.Line($"public {m}{result}Kind Kind => Outcome.Kind;");
        }
        w.Close();
        return w.ToString();
    }
}
