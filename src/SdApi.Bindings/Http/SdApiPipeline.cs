using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;
using SdApi.Bindings.Json;
using SdApi.Bindings.Validation;

namespace SdApi.Bindings.Http;

/// <summary>What every generated operation goes through: validate (switchable), serialize, POST with retries
/// (429 honouring <c>retry_after</c>, 5xx, network errors; exponential backoff with jitter, Polly.Core), read the outcome.
/// Logs operation, status and timing only: never bodies, never the key.</summary>
public sealed partial class SdApiPipeline
{
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json") { CharSet = "utf-8" };

    private readonly HttpClient _http;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline<HttpResponseMessage> _retry;
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
        _retry = BuildRetry(options, TimeProvider, _logger);
    }

    public SdApiClientOptions Options { get; }

    public TimeProvider TimeProvider { get; }

    /// <summary>The key put into requests that carry none.</summary>
    public string? ApiKey => Options.ApiKey;

    /// <summary>Sends one operation. Outcomes (also <c>status: error</c> and HTTP 4xx bodies in the API's shape) come
    /// back as <see cref="Response{T}"/>; a body that is not JSON throws <see cref="SdApiException"/>.</summary>
    public async Task<Response<TResult>> SendAsync<TRequest, TResult>(
        string operationId, string path, TRequest request, JsonRead<TResult> read, CancellationToken cancellationToken)
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

        var state = new SendState(_http, new Uri(_baseAddress, path.TrimStart('/')), WireWriter.ToUtf8(request));
        var started = Stopwatch.GetTimestamp();
        HttpResponseMessage message;
        try
        {
            message = await _retry.ExecuteAsync(static async (s, ct) =>
            {
                s.Attempts++;
                using var httpRequest = new HttpRequestMessage(HttpMethod.Post, s.Uri);
                httpRequest.Content = new ByteArrayContent(s.Body) { Headers = { ContentType = JsonContentType } };
                return await s.Http.SendAsync(httpRequest, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
            }, state, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            LogFailed(_logger, operationId, state.Attempts, ex.GetType().Name);
            throw new SdApiException(operationId, $"the request failed after {state.Attempts} attempt(s): {ex.Message}", null, ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogFailed(_logger, operationId, state.Attempts, "timeout");
            throw new SdApiException(operationId, $"the request timed out after {state.Attempts} attempt(s)", null, ex);
        }

        using (message)
        {
            var content = await ReadContentAsync(message.Content, cancellationToken).ConfigureAwait(false);
            var raw = new RawResponse((int)message.StatusCode, message.ReasonPhrase, [message.Headers, message.Content.Headers], content, state.Attempts);
            LogAnswered(_logger, operationId, raw.Status, state.Attempts, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
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

    private static ResiliencePipeline<HttpResponseMessage> BuildRetry(SdApiClientOptions options, TimeProvider time, ILogger logger)
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
            ShouldHandle = static args => ValueTask.FromResult(args.Outcome switch
            {
                { Exception: HttpRequestException } => true,
                { Exception: TaskCanceledException } => !args.Context.CancellationToken.IsCancellationRequested,
                { Result: { } r } => IsTransient(r.StatusCode),
                _ => false,
            }),
            DelayGenerator = args => RetryAfterAsync(args.Outcome.Result, options.MaxRetryDelay, args.Context.CancellationToken),
            OnRetry = args =>
            {
                LogRetry(logger, args.AttemptNumber + 1, (int?)args.Outcome.Result?.StatusCode ?? 0, args.RetryDelay.TotalMilliseconds);
                args.Outcome.Result?.Dispose();
                return ValueTask.CompletedTask;
            },
        });
        return builder.Build();
    }

    private static bool IsTransient(HttpStatusCode status) => status == HttpStatusCode.TooManyRequests || (int)status >= 500;

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

    private sealed class SendState(HttpClient http, Uri uri, byte[] body)
    {
        public HttpClient Http { get; } = http;
        public Uri Uri { get; } = uri;
        public byte[] Body { get; } = body;
        public int Attempts { get; set; }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "SdApi {OperationId}: HTTP {Status} after {Attempts} attempt(s) in {ElapsedMs:F0} ms")]
    private static partial void LogAnswered(ILogger logger, string operationId, int status, int attempts, double elapsedMs);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "SdApi retry {Attempt} after HTTP {Status}, waiting {DelayMs:F0} ms")]
    private static partial void LogRetry(ILogger logger, int attempt, int status, double delayMs);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "SdApi {OperationId}: {Field}: {Message} (rule {RuleId}; sent anyway)")]
    private static partial void LogRuleWarning(ILogger logger, string operationId, string field, string ruleId, string message);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "SdApi {OperationId} failed after {Attempts} attempt(s): {Reason}")]
    private static partial void LogFailed(ILogger logger, string operationId, int attempts, string reason);
}
