using System.ComponentModel;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;
using SdApi.Bindings.Json;
using SdApi.Bindings.Validation;

namespace SdApi.Bindings.Http;

/// <summary>What every generated operation goes through: validate (switchable), serialize, POST with retries
/// (Polly.Core; exponential backoff with jitter, 429 honouring <c>retry_after</c>), read the outcome, trace and count.
/// Which failures are retried depends on whether the operation starts a paid job (see <see cref="SdApiClientOptions.MaxRetries"/>).
/// Logs operation, status and timing only: never bodies, never the key. Public only because generated clients in
/// other assemblies call it.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed partial class SdApiPipeline
{
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json") { CharSet = "utf-8" };

    private readonly HttpClient _http;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline<HttpResponseMessage> _idempotentRetry;
    private readonly ResiliencePipeline<HttpResponseMessage> _jobRetry;
    private readonly Uri _baseAddress;

    public SdApiPipeline(HttpClient httpClient, SdApiClientOptions options, ILogger? logger = null, TimeProvider? timeProvider = null, Uri? defaultBaseAddress = null)
    {
        _http = httpClient ?? throw new ArgumentNullException(nameof(httpClient));
        Options = options ?? throw new ArgumentNullException(nameof(options));
        _logger = logger ?? NullLogger.Instance;
        TimeProvider = timeProvider ?? TimeProvider.System;
        var baseAddress = options.BaseAddress ?? httpClient.BaseAddress ?? defaultBaseAddress
            ?? throw new ArgumentException("No base address: set SdApiClientOptions.BaseAddress.", nameof(options));
        _baseAddress = baseAddress.AbsoluteUri.EndsWith('/') ? baseAddress : new Uri(baseAddress.AbsoluteUri + "/");
        _idempotentRetry = BuildRetry(options, TimeProvider, _logger, RetryPolicy.Idempotent);
        _jobRetry = BuildRetry(options, TimeProvider, _logger, options.RetryGenerationRiskingDuplicateJobs ? RetryPolicy.JobRiskingDuplicates : RetryPolicy.Job);
    }

    public SdApiClientOptions Options { get; }

    /// <summary>The API's host name, as traces and metrics name it (<c>server.address</c>).</summary>
    internal string Host => _baseAddress.Host;

    public TimeProvider TimeProvider { get; }

    /// <summary>The key put into requests that carry none.</summary>
    public string? ApiKey => Options.ApiKey;

    /// <summary>Sends an idempotent operation (fetch): retried on 429, 5xx, network errors and timeouts.</summary>
    public Task<Response<TResult>> SendAsync<TRequest, TResult>(
        string operationId, string path, TRequest request, JsonRead<TResult> read, CancellationToken cancellationToken)
        where TRequest : IJsonWritable
        => SendAsync(operationId, path, request, read, startsJob: false, trackId: null, cancellationToken);

    /// <summary>Sends one operation. Outcomes (also <c>status: error</c> and HTTP 4xx bodies in the API's shape) come
    /// back as <see cref="Response{T}"/>; a body that is not JSON throws <see cref="SdApiException"/>. When
    /// <paramref name="startsJob"/>, a 5xx, a timeout or a connection lost after sending throws
    /// <see cref="SdApiJobMayExistException"/> (carrying <paramref name="trackId"/>) instead of being resent.</summary>
    public async Task<Response<TResult>> SendAsync<TRequest, TResult>(
        string operationId, string path, TRequest request, JsonRead<TResult> read, bool startsJob, string? trackId, CancellationToken cancellationToken)
        where TRequest : IJsonWritable
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(read);
        IReadOnlyList<RuleViolation>? warnings = null;
        if (Options.ValidateRequests && request is IValidatable validatable)
        {
            var validation = validatable.Validate();
            if (!validation.IsValid) throw new SdApiValidationException(operationId, validation);
            warnings = validation.Warnings;
            foreach (var warning in warnings) LogRuleWarning(_logger, operationId, warning.Field, warning.RuleId, warning.Message);
        }

        var uri = new Uri(_baseAddress, path.TrimStart('/'));
        using var activity = SdApiTelemetry.Source.StartActivity("SdApi " + operationId, ActivityKind.Client);
        activity?.SetTag(SdApiTelemetry.OperationTag, operationId);
        activity?.SetTag("http.request.method", "POST");
        activity?.SetTag(SdApiTelemetry.ServerTag, uri.Host);
        activity?.SetTag("url.path", uri.AbsolutePath);
        var state = new SendState(_http, uri, WireWriter.ToUtf8(request), operationId);
        var started = TimeProvider.GetTimestamp();
        var outcome = "exception";
        try
        {
            var response = await SendAndReadAsync(state, read, startsJob ? _jobRetry : _idempotentRetry, startsJob, trackId, warnings, cancellationToken).ConfigureAwait(false);
            outcome = (response.Value as ISdApiOutcome)?.OutcomeStatus ?? "unknown";
            activity?.SetTag(SdApiTelemetry.StatusCodeTag, response.Status);
            return response;
        }
        catch (SdApiJobMayExistException ex)
        {
            outcome = "job-may-exist";
            activity?.SetStatus(ActivityStatusCode.Error, ex.Failure.ToString());
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            throw;
        }
        finally
        {
            activity?.SetTag(SdApiTelemetry.OutcomeTag, outcome);
            activity?.SetTag("sdapi.attempts", state.Attempts);
            var tags = new TagList { { SdApiTelemetry.OperationTag, operationId }, { SdApiTelemetry.OutcomeTag, outcome }, { SdApiTelemetry.ServerTag, uri.Host } };
            SdApiTelemetry.Requests.Add(1, tags);
            SdApiTelemetry.Duration.Record(TimeProvider.GetElapsedTime(started).TotalSeconds, tags);
        }
    }

    private async Task<Response<TResult>> SendAndReadAsync<TResult>(SendState state, JsonRead<TResult> read,
        ResiliencePipeline<HttpResponseMessage> retry, bool startsJob, string? trackId, IReadOnlyList<RuleViolation>? warnings, CancellationToken cancellationToken)
    {
        var operationId = state.OperationId;
        var started = TimeProvider.GetTimestamp();
        HttpResponseMessage message;
        // The operation id rides on the context so retries are counted per operation.
        var context = ResilienceContextPool.Shared.Get(operationId, cancellationToken);
        context.Properties.Set(HostKey, state.Uri.Host);
        try
        {
            message = await retry.ExecuteAsync(static async (ctx, s) =>
            {
                s.Attempts++;
                using var httpRequest = new HttpRequestMessage(HttpMethod.Post, s.Uri);
                httpRequest.Content = new ByteArrayContent(s.Body) { Headers = { ContentType = JsonContentType } };
                return await s.Http.SendAsync(httpRequest, HttpCompletionOption.ResponseHeadersRead, ctx.CancellationToken).ConfigureAwait(false);
            }, context, state).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            LogFailed(_logger, operationId, state.Attempts, ex.GetType().Name);
            if (startsJob && !FailedBeforeSending(ex))
                throw new SdApiJobMayExistException(operationId, SdApiUncertainFailure.ConnectionLost, trackId, state.Attempts, null, ex);
            throw new SdApiException(operationId, $"the request failed after {state.Attempts} attempt(s): {ex.Message}", null, ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogFailed(_logger, operationId, state.Attempts, "timeout");
            if (startsJob)
                throw new SdApiJobMayExistException(operationId, SdApiUncertainFailure.Timeout, trackId, state.Attempts, null, ex);
            throw new SdApiException(operationId, $"the request timed out after {state.Attempts} attempt(s)", null, ex);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        using (message)
        {
            var content = await ReadContentAsync(message.Content, cancellationToken).ConfigureAwait(false);
            var raw = new RawResponse((int)message.StatusCode, message.ReasonPhrase, [message.Headers, message.Content.Headers], content, state.Attempts);
            LogAnswered(_logger, operationId, raw.Status, state.Attempts, TimeProvider.GetElapsedTime(started).TotalMilliseconds);
            if (startsJob && raw.Status >= 500)
                throw new SdApiJobMayExistException(operationId, SdApiUncertainFailure.ServerError, trackId, state.Attempts, raw, null);
            TResult value;
            try
            {
                var reader = new Utf8JsonReader(content, WireReader.Options);
                value = read(ref reader);
            }
            catch (JsonException ex)
            {
                throw new SdApiException(operationId, $"HTTP {raw.Status}: the answer is not a JSON outcome", raw, ex);
            }
            return new Response<TResult>(value, raw, warnings);
        }
    }

    /// <summary>A connection refused or a name that did not resolve: the request never left, so no job exists.</summary>
    internal static bool FailedBeforeSending(HttpRequestException exception)
        => exception.HttpRequestError is HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError
           || exception.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.NoData };

    private static readonly ResiliencePropertyKey<string> HostKey = new("sdapi.host");

    private enum RetryPolicy
    {
        /// <summary>fetch: repeating it changes nothing on the server.</summary>
        Idempotent,

        /// <summary>Starts a paid job: only outcomes that prove no job was started.</summary>
        Job,

        /// <summary>Starts a paid job, and the caller accepted duplicates (<see cref="SdApiClientOptions.RetryGenerationRiskingDuplicateJobs"/>).</summary>
        JobRiskingDuplicates,
    }

    private static bool ShouldRetry(RetryPolicy policy, Outcome<HttpResponseMessage> outcome, CancellationToken ct) => outcome switch
    {
        { Exception: HttpRequestException ex } => policy != RetryPolicy.Job || FailedBeforeSending(ex),
        { Exception: TaskCanceledException } => policy != RetryPolicy.Job && !ct.IsCancellationRequested,
        { Result: { } r } => r.StatusCode == HttpStatusCode.TooManyRequests || (policy != RetryPolicy.Job && (int)r.StatusCode >= 500),
        _ => false,
    };

    private static string RetryReason(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Result: { } r } => ((int)r.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture),
        { Exception: HttpRequestException ex } => FailedBeforeSending(ex) ? "connect" : "connection-lost",
        { Exception: TaskCanceledException } => "timeout",
        _ => "other",
    };

    private static ResiliencePipeline<HttpResponseMessage> BuildRetry(SdApiClientOptions options, TimeProvider time, ILogger logger, RetryPolicy policy)
    {
        if (options.MaxRetries <= 0) return ResiliencePipeline<HttpResponseMessage>.Empty;
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time };
        builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
        {
            MaxRetryAttempts = options.MaxRetries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.RetryBaseDelay,
            MaxDelay = options.MaxRetryDelay,
            ShouldHandle = args => ValueTask.FromResult(ShouldRetry(policy, args.Outcome, args.Context.CancellationToken)),
            DelayGenerator = args => RetryAfterAsync(args.Outcome.Result, options.MaxRetryDelay, args.Context.CancellationToken),
            OnRetry = args =>
            {
                var reason = RetryReason(args.Outcome);
                LogRetry(logger, args.AttemptNumber + 1, reason, args.RetryDelay.TotalMilliseconds);
                SdApiTelemetry.Retries.Add(1,
                    new KeyValuePair<string, object?>(SdApiTelemetry.OperationTag, args.Context.OperationKey),
                    new KeyValuePair<string, object?>(SdApiTelemetry.ReasonTag, reason),
                    new KeyValuePair<string, object?>(SdApiTelemetry.ServerTag, args.Context.Properties.GetValue(HostKey, "")));
                Activity.Current?.AddEvent(new ActivityEvent("retry", tags: new ActivityTagsCollection { { SdApiTelemetry.ReasonTag, reason } }));
                args.Outcome.Result?.Dispose();
                return ValueTask.CompletedTask;
            },
        });
        return builder.Build();
    }

    /// <summary>The server's wait for a 429: the Retry-After header, else the body's <c>retry_after</c> (seconds), plus
    /// up to 10% jitter so queued clients do not return together. Null lets the exponential backoff decide.</summary>
    private static async ValueTask<TimeSpan?> RetryAfterAsync(HttpResponseMessage? response, TimeSpan max, CancellationToken ct)
    {
        if (response is null || response.StatusCode != HttpStatusCode.TooManyRequests) return null;
        double? seconds = response.Headers.RetryAfter?.Delta?.TotalSeconds;
        if (seconds is null)
        {
            var body = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
            seconds = ReadRetryAfter(body);
        }
        if (seconds is null or < 0) return null;
        var jittered = seconds.Value * (1 + (Random.Shared.NextDouble() * 0.1));
        return TimeSpan.FromSeconds(Math.Min(jittered, max.TotalSeconds));
    }

    internal static double? ReadRetryAfter(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body, WireReader.Options);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var match = reader.ValueTextEquals("retry_after"u8);
                reader.Read();
                if (match)
                {
                    List<WireIssue>? ignored = null;
                    return WireReader.ReadDouble(ref reader, "retry_after", ref ignored);
                }
                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // Not JSON: no server hint.
        }
        return null;
    }

    /// <summary>Reads the body once into an array of its exact size when Content-Length is known (one copy).</summary>
    private static async Task<byte[]> ReadContentAsync(HttpContent content, CancellationToken ct)
    {
        var stream = await content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            if (content.Headers.ContentLength is { } length and <= int.MaxValue)
            {
                var buffer = new byte[length];
                await stream.ReadExactlyAsync(buffer, ct).ConfigureAwait(false);
                return buffer;
            }
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy, ct).ConfigureAwait(false);
            return copy.ToArray();
        }
    }

    private sealed class SendState(HttpClient http, Uri uri, byte[] body, string operationId)
    {
        public HttpClient Http { get; } = http;
        public Uri Uri { get; } = uri;
        public byte[] Body { get; } = body;
        public string OperationId { get; } = operationId;
        public int Attempts { get; set; }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "SdApi {OperationId}: HTTP {Status} after {Attempts} attempt(s) in {ElapsedMs:F0} ms")]
    private static partial void LogAnswered(ILogger logger, string operationId, int status, int attempts, double elapsedMs);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "SdApi retry {Attempt} after {Reason}, waiting {DelayMs:F0} ms")]
    private static partial void LogRetry(ILogger logger, int attempt, string reason, double delayMs);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "SdApi {OperationId}: {Field}: {Message} (rule {RuleId}; sent anyway)")]
    private static partial void LogRuleWarning(ILogger logger, string operationId, string field, string ruleId, string message);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "SdApi {OperationId} failed after {Attempts} attempt(s): {Reason}")]
    private static partial void LogFailed(ILogger logger, string operationId, int attempts, string reason);
}
