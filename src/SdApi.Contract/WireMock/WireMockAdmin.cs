using System.Text;
using System.Text.Json.Nodes;

namespace SdApi.Contract.WireMock;

/// <summary>A small typed driver for WireMock's admin REST API (<c>/__admin/*</c>): mappings, the request journal,
/// unmatched requests and near misses, scenarios, reset.</summary>
public sealed class WireMockAdmin(Uri baseUrl) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };

    public Uri BaseUrl { get; } = baseUrl;

    public async Task HealthAsync(CancellationToken cancellationToken = default)
    {
        using var response = await _http.GetAsync(new Uri("/__admin/health", UriKind.Relative), cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Adds one stub mapping (WireMock JSON); returns its id.</summary>
    public async Task<Guid> AddMappingAsync(JsonObject mapping, CancellationToken cancellationToken = default)
    {
        var created = await SendAsync(HttpMethod.Post, "/__admin/mappings", mapping, cancellationToken).ConfigureAwait(false);
        return Guid.Parse(created!["id"]!.GetValue<string>());
    }

    /// <summary>Removes every stub (until the next <see cref="ResetAsync"/>, which reloads the root folder's).</summary>
    public Task RemoveAllMappingsAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, "/__admin/mappings", null, cancellationToken);

    public Task RemoveMappingAsync(Guid id, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, $"/__admin/mappings/{id}", null, cancellationToken);

    /// <summary>Adds many mappings in one call (<c>/__admin/mappings/import</c>).</summary>
    public async Task ImportMappingsAsync(IEnumerable<JsonObject> mappings, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject
        {
            ["mappings"] = new JsonArray(mappings.Select(m => (JsonNode)m.DeepClone()).ToArray()),
            ["importOptions"] = new JsonObject { ["duplicatePolicy"] = "OVERWRITE", ["deleteAllNotInImport"] = false },
        };
        await SendAsync(HttpMethod.Post, "/__admin/mappings/import", body, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<JsonObject>> GetMappingsAsync(CancellationToken cancellationToken = default)
    {
        var result = await SendAsync(HttpMethod.Get, "/__admin/mappings", null, cancellationToken).ConfigureAwait(false);
        return (result?["mappings"] as JsonArray ?? []).OfType<JsonObject>().ToList();
    }

    /// <summary>Back to the mappings loaded from the root folder, with an empty journal and every scenario at Started.</summary>
    public Task ResetAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "/__admin/reset", null, cancellationToken);

    public Task ResetRequestsAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, "/__admin/requests", null, cancellationToken);

    /// <summary>Every request WireMock received since the last reset, newest first.</summary>
    public async Task<IReadOnlyList<LoggedRequest>> GetRequestsAsync(CancellationToken cancellationToken = default)
    {
        var result = await SendAsync(HttpMethod.Get, "/__admin/requests", null, cancellationToken).ConfigureAwait(false);
        return (result?["requests"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Select(e => LoggedRequest.From(e["request"] as JsonObject ?? [], e["wasMatched"]?.GetValue<bool>() ?? false,
                e["stubMapping"]?["name"]?.GetValue<string>()))
            .ToList();
    }

    /// <summary>Requests no stub matched (<c>/__admin/requests/unmatched</c>).</summary>
    public async Task<IReadOnlyList<LoggedRequest>> GetUnmatchedAsync(CancellationToken cancellationToken = default)
    {
        var result = await SendAsync(HttpMethod.Get, "/__admin/requests/unmatched", null, cancellationToken).ConfigureAwait(false);
        return (result?["requests"] as JsonArray ?? []).OfType<JsonObject>().Select(r => LoggedRequest.From(r, false, null)).ToList();
    }

    /// <summary>For each unmatched request, the stubs that came closest and how far off they were.</summary>
    public async Task<IReadOnlyList<NearMiss>> GetNearMissesAsync(CancellationToken cancellationToken = default)
    {
        var result = await SendAsync(HttpMethod.Get, "/__admin/requests/unmatched/near-misses", null, cancellationToken).ConfigureAwait(false);
        return (result?["nearMisses"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(n => new NearMiss(
                LoggedRequest.From(n["request"] as JsonObject ?? [], false, null),
                n["stubMapping"]?["name"]?.GetValue<string>() ?? n["requestPattern"]?.ToJsonString() ?? "",
                n["matchResult"]?["distance"]?.GetValue<double>() ?? 1.0))
            .ToList();
    }

    /// <summary>How many journaled requests have this method and a path matching the regex.</summary>
    public async Task<int> CountRequestsAsync(string method, string urlPathPattern, CancellationToken cancellationToken = default)
    {
        var pattern = new JsonObject { ["method"] = method, ["urlPathPattern"] = urlPathPattern };
        var result = await SendAsync(HttpMethod.Post, "/__admin/requests/count", pattern, cancellationToken).ConfigureAwait(false);
        return result?["count"]?.GetValue<int>() ?? 0;
    }

    public async Task<IReadOnlyList<ScenarioState>> GetScenariosAsync(CancellationToken cancellationToken = default)
    {
        var result = await SendAsync(HttpMethod.Get, "/__admin/scenarios", null, cancellationToken).ConfigureAwait(false);
        return (result?["scenarios"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(s => new ScenarioState(
                s["name"]?.GetValue<string>() ?? s["id"]?.GetValue<string>() ?? "",
                s["state"]?.GetValue<string>() ?? "",
                (s["possibleStates"] as JsonArray ?? []).Select(p => p?.GetValue<string>() ?? "").ToList()))
            .ToList();
    }

    public Task ResetScenariosAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "/__admin/scenarios/reset", null, cancellationToken);

    public Task SetScenarioStateAsync(string scenario, string state, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, $"/__admin/scenarios/{Uri.EscapeDataString(scenario)}/state", new JsonObject { ["state"] = state }, cancellationToken);

    private async Task<JsonNode?> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"WireMock admin {method} {path} answered {(int)response.StatusCode}: {text}", null, response.StatusCode);
        return string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text);
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>A request from WireMock's journal.</summary>
public sealed record LoggedRequest(string Method, string Url, string Body, bool WasMatched, string? StubName, DateTimeOffset LoggedAt)
{
    internal static LoggedRequest From(JsonObject request, bool wasMatched, string? stubName) => new(
        request["method"]?.GetValue<string>() ?? "",
        request["url"]?.GetValue<string>() ?? "",
        request["body"]?.GetValue<string>() ?? "",
        wasMatched,
        stubName,
        request["loggedDate"] is JsonValue ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms.GetValue<long>()) : default);

    public override string ToString() => $"{Method} {Url} {Body}";
}

/// <summary>An unmatched request and a stub it nearly matched (distance 0 = identical, 1 = nothing alike).</summary>
public sealed record NearMiss(LoggedRequest Request, string Stub, double Distance)
{
    public override string ToString() => $"{Request} ~ {Stub} (distance {Distance:0.00})";
}

public sealed record ScenarioState(string Name, string State, IReadOnlyList<string> PossibleStates);
