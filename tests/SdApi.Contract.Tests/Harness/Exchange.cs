using System.Text;
using System.Text.Json.Nodes;
using SdApi.Contract.Verify;

namespace SdApi.Contract.Tests.Harness;

/// <summary>One POST and its answer, with Prism's <c>sl-violations</c> headers kept.</summary>
public sealed record Exchange(int Status, string? MediaType, string Body, IReadOnlyList<string> ViolationHeaders)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };

    public Verdict Verdict => Verdict.Read(Status, Body);

    public static async Task<Exchange> PostAsync(Uri baseUrl, string path, JsonNode body)
    {
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await Http.PostAsync(new Uri(baseUrl, path.TrimStart('/')), content);
        var text = await response.Content.ReadAsStringAsync();
        var violations = response.Headers.TryGetValues("sl-violations", out var values) ? values.ToList() : [];
        return new Exchange((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, text, violations);
    }

    public override string ToString() => $"HTTP {Status} {MediaType}: {(Body.Length > 400 ? Body[..400] + "..." : Body)}";
}
