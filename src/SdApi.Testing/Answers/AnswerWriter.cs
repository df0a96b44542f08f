using SdApi.Bindings;
using SdApi.Bindings.Json;
using SdApi.Bindings.Server;
using SdApi.Bindings.Validation;

namespace SdApi.Testing.Answers;

/// <summary>An answer ready for the wire: HTTP status, JSON body and headers, or a connection reset.</summary>
internal sealed record MockReply(int Status, byte[] Body, IReadOnlyDictionary<string, string>? Headers = null, bool Reset = false, TimeSpan Delay = default);

/// <summary>Turns an <see cref="SdApiAnswer"/> into bytes: the documented example of the operation, read into the
/// generated response model and changed there (job id, eta, fetch_result, retry_after), never edited by field name.</summary>
internal sealed class AnswerWriter(JobBook jobs, Func<Uri> baseUrl)
{
    public MockReply Write(SdApiAnswer answer, SdApiOperation operation, string? jobId)
    {
        var reply = answer.Kind switch
        {
            AnswerKind.Success => Success(operation, jobId),
            AnswerKind.Processing => Processing(operation, answer, jobId),
            AnswerKind.Error when answer.Message is null => Documented(operation, "error", 200),
            AnswerKind.Error => new MockReply(200, (ErrorResponse.FromJson(Documented(operation, "error", 200).Body) with { Message = answer.Message, FieldErrors = null }).ToJsonUtf8()),
            AnswerKind.Failed => Documented(operation, "failed", 200),
            AnswerKind.RateLimited => RateLimited(operation, answer.RetryAfterSeconds),
            AnswerKind.ServerError when answer.HttpStatus == 503 => Documented(operation, "server-error-503", 503),
            AnswerKind.ServerError when answer.HttpStatus == 500 => Documented(operation, "server-error-500", 500),
            AnswerKind.ServerError => new MockReply(answer.HttpStatus, OperationResult.Error(answer.HttpStatus, "Server Error").ToUtf8()),
            AnswerKind.ValidationError => Invalid(answer.Field!, answer.Message!),
            AnswerKind.ConnectionReset => new MockReply(0, [], Reset: true),
            AnswerKind.Raw => new MockReply(answer.HttpStatus, System.Text.Encoding.UTF8.GetBytes(answer.RawBody!)),
            _ => throw new InvalidOperationException($"Unknown answer {answer.Kind}."),
        };
        return reply with { Delay = answer.Delay };
    }

    /// <summary>The documented 400 of the mappings' <c>mock-bad-request</c>.</summary>
    public static MockReply BadRequest(SdApiOperation operation) => Documented(operation, "bad-request", 400);

    /// <summary>A fetch of a job the book knows: processing while polls remain, then success with the job's id.</summary>
    public MockReply? Poll(SdApiOperation operation, string jobId)
    {
        if (!jobs.TryPoll(jobId, out var processing, out var eta)) return null;
        return processing ? ProcessingBody(operation, jobId, eta) : Success(operation, jobId);
    }

    private static MockReply Documented(SdApiOperation operation, string behaviour, int status) =>
        new(status, DocumentedResponses.Body(operation.OperationId, behaviour));

    private static MockReply Success(SdApiOperation operation, string? jobId)
    {
        var documented = DocumentedResponses.Body(operation.OperationId, "success");
        if (jobId is null) return new MockReply(200, documented);
        return new MockReply(200, (SuccessResponse.FromJson(documented) with { Id = Id(jobId) }).ToJsonUtf8());
    }

    private MockReply Processing(SdApiOperation operation, SdApiAnswer answer, string? jobId)
    {
        // A generate call starts a job; a fetch answered "processing" reports the job it was asked about.
        if (operation.Kind != "fetch" || jobId is null)
            jobId = jobs.Start(answer.Polls, answer.EtaSeconds);
        return ProcessingBody(operation, jobId, answer.EtaSeconds);
    }

    private MockReply ProcessingBody(SdApiOperation operation, string jobId, double? eta)
    {
        var example = ProcessingResponse.FromJson(DocumentedResponses.Body(operation.OperationId, "processing"));
        var body = example with
        {
            Id = Id(jobId),
            Eta = eta ?? example.Eta,
            FetchResult = FetchUrl(operation, jobId) ?? example.FetchResult,
        };
        return new MockReply(200, body.ToJsonUtf8());
    }

    private static MockReply RateLimited(SdApiOperation operation, int? retryAfter)
    {
        var example = RateLimitResponse.FromJson(DocumentedResponses.Body(operation.OperationId, "rate-limit"));
        var body = retryAfter is null ? example : example with { RetryAfter = retryAfter };
        IReadOnlyDictionary<string, string>? headers = body.RetryAfter is { } seconds
            ? new Dictionary<string, string> { ["Retry-After"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture) }
            : null;
        return new MockReply(429, WireWriter.ToUtf8(body), headers);
    }

    private static MockReply Invalid(string field, string message)
    {
        var builder = new ValidationBuilder();
        builder.Add(field, "mock", message);
        return new MockReply(400, OperationResult.Invalid(builder.Build()).ToUtf8());
    }

    /// <summary>The fetch/{id} URL of the operation's API version on this mock, so a client following it stays here.</summary>
    private string? FetchUrl(SdApiOperation operation, string jobId)
    {
        var fetch = SdApiOperations.All.FirstOrDefault(o => o.Tag == operation.Tag && o.Kind == "fetch" && o.PathTemplate.Contains('{', StringComparison.Ordinal));
        if (fetch is null) return null;
        var start = fetch.PathTemplate.IndexOf('{', StringComparison.Ordinal);
        var end = fetch.PathTemplate.IndexOf('}', start);
        var path = fetch.PathTemplate[..start] + Uri.EscapeDataString(jobId) + fetch.PathTemplate[(end + 1)..];
        return new Uri(baseUrl(), path.TrimStart('/')).AbsoluteUri;
    }

    private static ApiId Id(string jobId) => long.TryParse(jobId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : jobId;
}
