using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SdApi.Bindings;
using SdApi.Bindings.Http;
using SdApi.Bindings.Json;
using SdApi.Bindings.Server;
using SdApi.Testing.Answers;
using SdApi.Testing.Matching;
using WireMock;
using WireMock.Admin.Mappings;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;
using WireMock.Types;
using WireMock.Util;

namespace SdApi.Testing;

/// <summary>
/// The Stable Diffusion API as an in-process WireMock.Net server on a free 127.0.0.1 port, for tests of code that calls
/// it. Per operation of openapi.yaml: a body the generated validator refuses gets the reference server's answer (400
/// naming every field, malformed JSON, 415); an accepted one gets, in this order, the next scripted answer
/// (<see cref="On(string)"/>), the state of a job it fetches, the behaviour its key selects (<see cref="SdApiMockKeys"/>,
/// as in the exported mappings), or the documented success. Every request is in <see cref="Received"/>.
/// <code>
/// using var mock = SdApiMockServer.Start();
/// mock.On("v6Text2Img").RespondWith(SdApiAnswer.RateLimited(1)).Then(SdApiAnswer.Processing(polls: 2));
/// var done = await mock.Client.V6.WaitForCompletionAsync(await mock.Client.V6.Text2ImgAsync(request));
/// mock.Received.Verify&lt;V6Text2ImgRequest&gt;(r =&gt; r.Prompt == "a red circle", times: 2);
/// </code>
/// </summary>
public sealed class SdApiMockServer : IDisposable
{
    // WireMock.Net serves the lowest priority number first; consumers' own mappings (default priority 0) win over these.
    private const int RefusedPriority = 10;
    private const int AcceptedPriority = 20;
    private const int UnknownPathPriority = 1000;

    /// <summary>Response header that makes the connection-reset middleware abort the connection instead of answering.</summary>
    private const string FaultHeader = "X-SdApi-Mock-Fault";

    private readonly SdApiMockOptions _options;
    private readonly WireMockServer _server;
    private readonly HttpClient _http;
    private readonly JobBook _jobs = new();
    private readonly AnswerWriter _writer;
    private readonly List<SdApiMockScript> _scripts = [];
    private readonly ConcurrentDictionary<(string Operation, string Key), int> _onceUsed = new();
    private readonly Lazy<SdApiClient> _client;
    private readonly CancellationTokenSource _stopping = new();
    private int _disposed;
    private PollingState _pollingScenario;

    private SdApiMockServer(SdApiMockOptions options)
    {
        _options = options;
        _server = StartWireMock();
        BaseUrl = new Uri(_server.Url!.TrimEnd('/') + "/");
        var baseUrl = BaseUrl;
        _writer = new AnswerWriter(_jobs, () => baseUrl);
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromSeconds(100) };
        foreach (var operation in SdApiOperations.All)
            AddMappings(operation);
        _server.Given(Request.Create().WithPath(new WildcardMatcher("*")).UsingAnyMethod())
            .AtPriority(UnknownPathPriority)
            .WithTitle("unknown path")
            .RespondWith(Response.Create().WithCallback(req => (IResponseMessage)Json(new MockReply(404,
                OperationResult.Error(404, $"No such endpoint: {req.Method} {req.Path}").ToUtf8()))));
        _client = new Lazy<SdApiClient>(() => CreateClient());
    }

    /// <summary>Where the mock listens (ends with '/').</summary>
    public Uri BaseUrl { get; }

    /// <summary>A client pointed at the mock, with <see cref="SdApiMockOptions.ApiKey"/> and fast retries and polling.</summary>
    public SdApiClient Client => _client.Value;

    /// <summary>Every request received since the start or the last <see cref="Reset"/>.</summary>
    public SdApiMockJournal Received { get; } = new();

    /// <summary>The WireMock.Net server underneath, for mappings of your own (priority 0, the default, wins over the mock's).</summary>
    public WireMockServer Server => _server;

    /// <summary>For <see cref="WireMockServerSettings.CustomMatcherMappings"/>: lets JSON mappings use
    /// <c>{"Name": "SdApiRequestMatcher", "Pattern": "v6Text2Img"}</c> (the generated validator as a body matcher).</summary>
    public static IDictionary<string, Func<MatcherModel, IMatcher>> CustomMatcherMappings =>
        new Dictionary<string, Func<MatcherModel, IMatcher>> { [SdApiRequestMatcher.MatcherName] = SdApiRequestMatcher.FromModel };

    /// <summary>Starts a mock on a free loopback port.</summary>
    public static SdApiMockServer Start(SdApiMockOptions? options = null) => new(options ?? new SdApiMockOptions());

    /// <summary>Starts a mock with options set by <paramref name="configure"/>.</summary>
    public static SdApiMockServer Start(Action<SdApiMockOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var options = new SdApiMockOptions();
        configure(options);
        return new(options);
    }

    /// <summary>A new client pointed at the mock. <paramref name="timeProvider"/> drives its retry and polling waits
    /// (a FakeTimeProvider makes them instant and exact).</summary>
    public SdApiClient CreateClient(Action<SdApiClientOptions>? configure = null, TimeProvider? timeProvider = null)
    {
        var options = new SdApiClientOptions
        {
            BaseAddress = BaseUrl,
            ApiKey = _options.ApiKey,
            MaxRetries = 3,
            RetryBaseDelay = TimeSpan.FromMilliseconds(10),
            MaxRetryDelay = TimeSpan.FromSeconds(2),
            PollingMinDelay = TimeSpan.FromMilliseconds(10),
            PollingMaxDelay = TimeSpan.FromSeconds(2),
            PollingTimeout = TimeSpan.FromSeconds(30),
        };
        _options.ConfigureClient?.Invoke(options);
        configure?.Invoke(options);
        return new SdApiClient(new SdApiPipeline(_http, options, null, timeProvider));
    }

    /// <summary>Scripts answers for every request to <paramref name="operationId"/> (e.g. <c>v6FetchById</c>).</summary>
    public SdApiMockScript On(string operationId)
    {
        var operation = SdApiOperations.FindById(operationId) ?? throw new ArgumentException($"The spec has no operation '{operationId}'.", nameof(operationId));
        return AddScript(new SdApiMockScript(operation.OperationId, (o, _) => o == operation));
    }

    /// <summary>Scripts answers for requests that read as <typeparamref name="TRequest"/> and meet <paramref name="where"/>;
    /// <paramref name="operationId"/> narrows models several operations share (fetch).</summary>
    public SdApiMockScript On<TRequest>(Func<TRequest, bool>? where = null, string? operationId = null)
        where TRequest : class
    {
        if (operationId is not null && SdApiOperations.FindById(operationId) is null)
            throw new ArgumentException($"The spec has no operation '{operationId}'.", nameof(operationId));
        return AddScript(new SdApiMockScript(typeof(TRequest).Name + (operationId is null ? "" : " on " + operationId),
            (o, request) => request is TRequest typed
                && (operationId is null || string.Equals(o.OperationId, operationId, StringComparison.OrdinalIgnoreCase))
                && (where is null || where(typed))));
    }

    /// <summary>Forgets scripts, jobs, once-only keyed behaviours and received requests.</summary>
    public void Reset()
    {
        lock (_scripts) _scripts.Clear();
        _jobs.Clear();
        _onceUsed.Clear();
        lock (_scripts) _pollingScenario = PollingState.NotStarted;
        Received.Clear();
        _server.ResetLogEntries();
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _stopping.Cancel();
        _http.Dispose();
        _server.Stop();
        _server.Dispose();
        _stopping.Dispose();
    }

    private SdApiMockScript AddScript(SdApiMockScript script)
    {
        lock (_scripts) _scripts.Add(script);
        return script;
    }

    private WireMockServer StartWireMock()
    {
        // WireMock.Net needs a concrete port to report its URL: take a free one, and retry if another process wins it.
        for (var attempt = 1; ; attempt++)
        {
            var settings = new WireMockServerSettings
            {
                Urls = [$"http://127.0.0.1:{FreePort()}"],
                StartAdminInterface = false,
                // Bodies reach the matchers as sent, so the generated reader sees exactly what the API would.
                DisableJsonBodyParsing = true,
                CustomMatcherMappings = CustomMatcherMappings,
                PreWireMockMiddlewareInit = app => ((IApplicationBuilder)app).Use(RecordAndAbortAsync),
            };
            try
            {
                return WireMockServer.Start(settings);
            }
            catch (Exception) when (attempt < 3)
            {
                // port taken between FreePort() and the bind: try another
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void AddMappings(SdApiOperation operation)
    {
        var path = new RegexMatcher(PathPattern(operation), true);
        _server.Given(Request.Create().UsingPost().WithPath(path).WithBody(new SdApiRequestMatcher(operation.OperationId, MatchBehaviour.RejectOnMatch)))
            .AtPriority(RefusedPriority)
            .WithTitle($"{operation.OperationId}: refused by the generated validator")
            .RespondWith(Response.Create().WithCallback(req => Json(Refused(operation, req) ?? throw new InvalidOperationException("refused body was accepted"))));
        _server.Given(Request.Create().UsingPost().WithPath(path).WithBody(new SdApiRequestMatcher(operation.OperationId)))
            .AtPriority(AcceptedPriority)
            .WithTitle($"{operation.OperationId}: accepted")
            .RespondWith(Response.Create().WithCallback(req => AnswerAsync(operation, req)));
    }

    /// <summary>The template as a regex: literal segments, <c>{id}</c> one non-empty segment (as SdApiOperation.Matches).</summary>
    private static string PathPattern(SdApiOperation operation) =>
        "^/" + string.Join("/", operation.PathTemplate.Trim('/').Split('/')
            .Select(s => s.StartsWith('{') && s.EndsWith('}') ? "[^/]+" : System.Text.RegularExpressions.Regex.Escape(s))) + "/?$";

    /// <summary>The reference server's order: content type, then JSON, then the validator.</summary>
    private static MockReply? Refused(SdApiOperation operation, IRequestMessage request)
    {
        if (!ServerRequestReader.IsJson(Header(request, "Content-Type")))
            return new MockReply(415, OperationResult.UnsupportedMediaType().ToUtf8());
        var check = RequestCheck.Of(operation, request.Body);
        return check.Refusal is { } refusal ? new MockReply(refusal.StatusCode, refusal.ToUtf8()) : null;
    }

    private async Task<IResponseMessage> AnswerAsync(SdApiOperation operation, IRequestMessage message)
    {
        if (Refused(operation, message) is { } refused) return Json(refused);
        var request = RequestCheck.Of(operation, message.Body).Request!;
        var jobId = JobId(operation, request, message.Path);
        var key = operation.ApiKey(request);
        var reply = Scripted(operation, request, jobId)
            ?? PollingFetch(operation, key, jobId)
            ?? (jobId is not null ? _writer.Poll(operation, jobId) : null)
            ?? Keyed(operation, key, jobId)
            ?? _writer.Write(SdApiAnswer.Success(), operation, null);
        if (reply.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(reply.Delay, _options.TimeProvider, _stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // the mock is stopping: answer now rather than hold the shutdown
            }
        }
        return Json(reply);
    }

    private MockReply? Scripted(SdApiOperation operation, IJsonWritable request, string? jobId)
    {
        SdApiMockScript[] scripts;
        lock (_scripts) scripts = [.. _scripts];
        foreach (var script in scripts)
            if (script.TryTake(operation, request, out var answer))
                return _writer.Write(answer, operation, jobId);
        return null;
    }

    /// <summary>The behaviours of the exported mappings' mock keys, "once" meaning once per operation until <see cref="Reset"/>.</summary>
    private MockReply? Keyed(SdApiOperation operation, string? key, string? jobId)
    {
        SdApiAnswer? answer = key switch
        {
            SdApiMockKeys.Processing when operation.Kind == "generate" => StartPolling(),
            SdApiMockKeys.Error => SdApiAnswer.Error(),
            SdApiMockKeys.Failed => SdApiAnswer.Failed(),
            SdApiMockKeys.RateLimitOnce => Once(operation, key) ? SdApiAnswer.RateLimited(_options.RetryAfterSeconds) : null,
            SdApiMockKeys.RateLimitAlways => SdApiAnswer.RateLimited(_options.RetryAfterSeconds),
            SdApiMockKeys.ServerErrorOnce => Once(operation, key) ? SdApiAnswer.ServerError(503) : null,
            SdApiMockKeys.ServerErrorAlways => SdApiAnswer.ServerError(500),
            SdApiMockKeys.ConnectionResetOnce => Once(operation, key) ? SdApiAnswer.ConnectionReset() : null,
            SdApiMockKeys.Slow => SdApiAnswer.Success().After(_options.SlowDelay),
            _ => null,
        };
        if (key == SdApiMockKeys.BadRequest) return AnswerWriter.BadRequest(operation);
        return answer is null ? null : _writer.Write(answer, operation, jobId);
    }

    /// <summary>The exported mappings' "polling" scenario, shared by every operation as there: a generate call with the
    /// processing key sets it to queued (whatever its state); a fetch with that key then answers processing (-> running),
    /// then success (staying there). Before any such generate call, fetches with the key answer success.</summary>
    private SdApiAnswer StartPolling()
    {
        lock (_scripts) _pollingScenario = PollingState.Queued;
        return SdApiAnswer.Processing(_options.EtaSeconds, polls: 1);
    }

    private MockReply? PollingFetch(SdApiOperation operation, string? key, string? jobId)
    {
        if (key != SdApiMockKeys.Processing || operation.Kind != "fetch") return null;
        PollingState was;
        lock (_scripts)
        {
            was = _pollingScenario;
            if (was == PollingState.Queued) _pollingScenario = PollingState.Running;
        }
        return was switch
        {
            PollingState.Queued => _writer.Write(SdApiAnswer.Processing(_options.EtaSeconds, polls: 0), operation, jobId),
            PollingState.Running => _writer.Write(SdApiAnswer.Success(), operation, jobId),
            _ => null,
        };
    }

    private bool Once(SdApiOperation operation, string key) => _onceUsed.AddOrUpdate((operation.OperationId, key), 1, (_, n) => n + 1) == 1;

    /// <summary>The job a fetch asks about: the path's <c>{id}</c>, or the body's request id.</summary>
    private static string? JobId(SdApiOperation operation, IJsonWritable request, string path)
    {
        if (operation.Kind != "fetch") return null;
        if (request is FetchRequest { RequestId: { IsEmpty: false } id }) return id.Value;
        var template = operation.PathTemplate.Trim('/').Split('/');
        var actual = path.Trim('/').Split('/');
        for (var i = 0; i < template.Length && i < actual.Length; i++)
            if (template[i].StartsWith('{')) return Uri.UnescapeDataString(actual[i]);
        return null;
    }

    private static string? Header(IRequestMessage request, string name) =>
        request.Headers?.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();

    private static ResponseMessage Json(MockReply reply)
    {
        var message = new ResponseMessage
        {
            StatusCode = reply.Reset ? 200 : reply.Status,
            BodyData = new BodyData { BodyAsString = Encoding.UTF8.GetString(reply.Body), DetectedBodyType = BodyType.String, Encoding = Encoding.UTF8 },
        };
        message.AddHeader("Content-Type", "application/json");
        if (reply.Headers is not null)
            foreach (var (name, value) in reply.Headers) message.AddHeader(name, value);
        if (reply.Reset) message.AddHeader(FaultHeader, "connection-reset");
        return message;
    }

    /// <summary>Before WireMock: journals the request; after it, aborts the connection when the answer is a reset
    /// (WireMock.Net's own faults still answer HTTP 200), else passes the buffered answer on.</summary>
    private async Task RecordAndAbortAsync(HttpContext context, RequestDelegate next)
    {
        context.Request.EnableBuffering();
        string body;
        using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8, false, 4096, leaveOpen: true))
            body = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        context.Request.Body.Position = 0;
        var entry = Received.Add(_options.TimeProvider.GetUtcNow(), context.Request.Method, context.Request.Path.Value ?? "/", body);
        if (entry.Operation is { } operation)
        {
            var check = RequestCheck.Of(operation, body);
            entry.Request = check.Request;
            entry.Validation = check.Request is SdApi.Bindings.Validation.IValidatable v ? v.Validate() : null;
        }

        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            context.Response.Body = original;
        }
        if (context.Response.Headers.ContainsKey(FaultHeader))
        {
            entry.ConnectionReset = true;
            context.Abort();
            return;
        }
        entry.Status = context.Response.StatusCode;
        context.Response.ContentLength = buffer.Length;
        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted).ConfigureAwait(false);
    }
}

/// <summary>States of the exported mappings' "polling" scenario.</summary>
internal enum PollingState
{
    NotStarted,
    Queued,
    Running,
}
