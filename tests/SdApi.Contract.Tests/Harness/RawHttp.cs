using System.Text;
using System.Text.Json.Nodes;

namespace SdApi.Contract.Tests.Harness;

/// <summary>Plain HTTP POSTs of JSON bodies, for tests that check the stubs themselves (no generated client).</summary>
public static class RawHttp
{
    private static readonly HttpClient Client = new() { Timeout = TimeSpan.FromSeconds(30) };

    public static async Task<(int Status, JsonNode? Body)> PostAsync(Uri baseUrl, string path, JsonNode body)
    {
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await Client.PostAsync(new Uri(baseUrl, path), content);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? json;
        try
        {
            json = string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            json = JsonValue.Create(text);
        }
        return ((int)response.StatusCode, json);
    }

    public static Task<(int Status, JsonNode? Body)> PostAsync(Uri absolute, JsonNode body) =>
        PostAsync(new Uri(absolute.GetLeftPart(UriPartial.Authority)), absolute.PathAndQuery, body);
}
