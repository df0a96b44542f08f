using System.Text;
using System.Text.Json.Nodes;
using SdApi.Bindings;
using SdApi.Contract.Prism;
using SdApi.Contract.Verify;

namespace SdApi.Contract.Tests.Matrix;

/// <summary>One side's answer to one request: accepted, or refused naming <see cref="Fields"/>.</summary>
public sealed record SideVerdict(bool Accepted, IReadOnlyList<string> Fields, string Detail)
{
    public static SideVerdict Accept(string detail) => new(true, [], detail);

    public static SideVerdict Refuse(IEnumerable<string> fields, string detail) => new(false, fields.Distinct().ToList(), detail);

    /// <summary>Same verdict, and refusals name a common field.</summary>
    public bool AgreesWith(SideVerdict other) =>
        Accepted == other.Accepted && (Accepted || Fields.Intersect(other.Fields, StringComparer.Ordinal).Any());

    public override string ToString() => Accepted ? $"accepted ({Detail})" : $"refused [{string.Join(", ", Fields)}] ({Detail})";
}

/// <summary>The four sides of the matrix.</summary>
public static class MatrixSides
{
    public const string Validator = "validator";
    public const string Server = "server";
    public const string WireMock = "wiremock";
    public const string Prism = "prism";

    public static readonly string[] All = [Validator, Server, WireMock, Prism];

    /// <summary>The generated validator of the operation (what the client runs before sending and the server on receipt);
    /// warnings are accepted.</summary>
    public static SideVerdict RunValidator(MatrixRequest request)
    {
        var operation = SdApiOperations.FindById(request.Operation.OperationId)
            ?? throw new InvalidOperationException($"no generated operation {request.Operation.OperationId}");
        var result = operation.ValidateJson(Encoding.UTF8.GetBytes(request.Body.ToJsonString()));
        return result.IsValid
            ? SideVerdict.Accept("valid")
            : SideVerdict.Refuse(result.Errors.Keys, string.Join("; ", result.Violations.Select(v => $"{v.Field}:{v.RuleId}")));
    }

    /// <summary>A provider's answer in the API's words: a validation error (message object of fields) refuses; anything
    /// else in the API's shape is not a refusal of the request.</summary>
    public static SideVerdict FromAnswer(int status, string body)
    {
        var verdict = Verdict.Read(status, body);
        return verdict.Kind switch
        {
            VerdictKind.ValidationError => SideVerdict.Refuse(verdict.Fields, $"HTTP {status}"),
            VerdictKind.Unreadable => SideVerdict.Refuse([], $"unreadable: {verdict.Summary}"),
            _ => SideVerdict.Accept(verdict.Summary),
        };
    }

    /// <summary>WireMock's answer: 404 means no stub matched (neither accepted nor refused in the API's words).</summary>
    public static SideVerdict FromWireMock(int status, string body) =>
        status == 404 && !body.TrimStart().StartsWith('{') ? SideVerdict.Refuse([], "404 no stub matched") : FromAnswer(status, body);

    /// <summary>Prism's verdict is its own request validation: 422 with violations refuses naming their fields; a request
    /// Prism lets through is accepted (whatever the upstream answers).</summary>
    public static SideVerdict FromPrism(Harness.Exchange exchange, out IReadOnlyList<PrismViolation> responseViolations)
    {
        var answer = PrismAnswer.Read(exchange.Status, exchange.MediaType, exchange.Body, exchange.ViolationHeaders);
        responseViolations = answer.ResponseViolations;
        return answer.RequestViolations.Count > 0
            ? SideVerdict.Refuse(answer.RequestViolations.Select(v => v.Field ?? "(body)"), string.Join("; ", answer.RequestViolations))
            : SideVerdict.Accept($"passed to upstream: HTTP {exchange.Status}");
    }
}

/// <summary>tests/SdApi.Contract.Tests/Matrix/exceptions.json: disagreements a side cannot avoid, each with its reason.
/// An entry matches a disagreement between <see cref="Side"/> and one of <see cref="Against"/> on a request carrying
/// <see cref="Tag"/>.</summary>
public sealed record MatrixException(string Side, string[] Against, string Tag, string Reason)
{
    public static IReadOnlyList<MatrixException> Load(string path)
    {
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        return (root["exceptions"] as JsonArray ?? []).OfType<JsonObject>().Select(e => new MatrixException(
            e["side"]!.GetValue<string>(),
            (e["against"] as JsonArray ?? []).Select(s => s!.GetValue<string>()).ToArray(),
            e["tag"]!.GetValue<string>(),
            e["reason"]!.GetValue<string>())).ToList();
    }

    /// <summary>Set when a disagreement of the run needed this entry (an unused entry is stale).</summary>
    public bool Used { get; set; }

    public bool Covers(string a, string b, MatrixRequest request) =>
        ((a == Side && Against.Contains(b)) || (b == Side && Against.Contains(a))) && request.Tags.Contains(Tag, StringComparer.Ordinal);
}
