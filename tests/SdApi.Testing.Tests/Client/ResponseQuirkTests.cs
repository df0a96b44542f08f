using System.Text.Json.Nodes;
using SdApi.Bindings;
using SdApi.Testing.Tests.Harness;

namespace SdApi.Testing.Tests.Client;

/// <summary>Every response example in the spec (messege/message, output "" or [], id int or "", eta as string, field
/// errors as an object, 4xx/5xx bodies) served by SdApi.Testing and read by the generated client.</summary>
public sealed class ResponseQuirkTests : IDisposable
{
    private readonly SdApiMockServer _mock = SdApiMockServer.Start();

    public void Dispose() => _mock.Dispose();

    [Theory]
    [MemberData(nameof(SpecFiles.ResponseExamples), MemberType = typeof(SpecFiles))]
    public async Task Response_example_is_read_correctly(string operationId, string httpStatus, string example)
    {
        var operation = SpecFiles.Spec.Operation(operationId);
        var status = int.Parse(httpStatus, System.Globalization.CultureInfo.InvariantCulture);
        var body = operation.Responses[httpStatus].Examples.Single(e => e.Name == example).Value!.AsObject();
        _mock.On(operationId).RespondWith(SdApiAnswer.Json(status, body.ToJsonString()));
        var client = _mock.CreateClient(o => o.MaxRetries = 0);
        var request = SpecFiles.Edges.Bases[operationId].DeepClone().AsObject();

        if (status >= 500 && !operationId.Contains("Fetch", StringComparison.Ordinal))
        {
            // A 5xx to a request that starts a paid job: the job may exist, so the client throws instead of reading an outcome.
            var send = () => ClientCalls.InvokeAsync(client, operationId, request);
            var thrown = await send.Should().ThrowAsync<SdApi.Bindings.Http.SdApiJobMayExistException>();
            thrown.Which.Failure.Should().Be(SdApi.Bindings.Http.SdApiUncertainFailure.ServerError);
            thrown.Which.Response!.Status.Should().Be(status);
            _mock.Received.Count.Should().Be(1);
            return;
        }

        var response = await ClientCalls.InvokeAsync(client, operationId, request);

        response.Status.Should().Be(status);
        var outcome = response.Value;
        ExpectedKind(body).Should().Be(outcome.Kind);
        WireIssues(outcome).Should().BeEmpty("the tolerant reader must accept every documented shape");
        var message = body["message"] ?? body["messege"];
        switch (message)
        {
            case JsonValue text:
                MessageOf(outcome).Should().Be(text.GetValue<string>());
                break;
            case JsonObject fields:
                FieldErrorsOf(outcome).Should().NotBeNull();
                FieldErrorsOf(outcome)!.Keys.Should().BeEquivalentTo(fields.Select(f => f.Key));
                break;
        }
        switch (body["output"])
        {
            case JsonArray links:
                OutputOf(outcome).Should().Equal(links.Select(l => l!.GetValue<string>()));
                break;
            case JsonValue:
                OutputOf(outcome).Should().BeNullOrEmpty("output \"\" means no links yet");
                break;
        }
        if (body["id"] is JsonValue id)
        {
            IdOf(outcome).Should().NotBeNull("the body has an id");
            IdOf(outcome)?.Value.Should().Be(id.ToString());
        }
        if (outcome is ProcessingResponse processing && body["eta"] is JsonValue eta)
            processing.Eta.Should().BeApproximately(double.Parse(eta.ToString(), System.Globalization.CultureInfo.InvariantCulture), 1e-9);
        _mock.Received.Count.Should().Be(1);
    }

    private static OutcomeKind ExpectedKind(JsonObject body) => body["status"]?.GetValue<string>()?.ToUpperInvariant() switch
    {
        "SUCCESS" => OutcomeKind.Success,
        "PROCESSING" => OutcomeKind.Processing,
        "FAILED" => OutcomeKind.Failed,
        _ => OutcomeKind.Error, // documented: a body with no known status reads as an error
    };

    private static string? MessageOf(Outcome o) => o switch
    {
        SuccessResponse => null,
        ProcessingResponse p => p.Message,
        ErrorResponse e => e.Message,
        FailedResponse f => f.Message,
        _ => null,
    };

    private static IReadOnlyDictionary<string, IReadOnlyList<string>>? FieldErrorsOf(Outcome o) => o switch
    {
        ProcessingResponse p => p.FieldErrors,
        ErrorResponse e => e.FieldErrors,
        FailedResponse f => f.FieldErrors,
        _ => null,
    };

    private static IReadOnlyList<string>? OutputOf(Outcome o) => o switch
    {
        SuccessResponse s => s.Output,
        ProcessingResponse p => p.Output,
        ErrorResponse e => e.Output,
        FailedResponse f => f.Output,
        _ => null,
    };

    private static SdApi.Bindings.Json.ApiId? IdOf(Outcome o) => o switch
    {
        SuccessResponse s => s.Id,
        ProcessingResponse p => p.Id,
        ErrorResponse e => e.Id,
        FailedResponse f => f.Id,
        _ => null,
    };

    private static IReadOnlyList<SdApi.Bindings.Json.WireIssue> WireIssues(Outcome o) => (o switch
    {
        SuccessResponse s => s.WireIssues,
        ProcessingResponse p => p.WireIssues,
        ErrorResponse e => e.WireIssues,
        FailedResponse f => f.WireIssues,
        _ => null,
    }) ?? [];
}
