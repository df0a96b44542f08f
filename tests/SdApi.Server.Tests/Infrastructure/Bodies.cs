using System.Text.Json.Nodes;

namespace SdApi.Server.Tests.Infrastructure;

/// <summary>Small request bodies (the smallest v6 size, 256, and two steps) so the suite stays fast.</summary>
public static class Bodies
{
    public static JsonObject Text2Img(int size = 256, int samples = 1) => new()
    {
        ["key"] = ServerHost.Key,
        ["prompt"] = "a red apple on a wooden table",
        ["width"] = size.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["height"] = size.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["samples"] = samples.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["num_inference_steps"] = "2",
        ["seed"] = 42,
    };

    public static JsonObject With(this JsonObject body, string name, JsonNode? value)
    {
        body[name] = value;
        return body;
    }

    public static JsonObject Without(this JsonObject body, string name)
    {
        body.Remove(name);
        return body;
    }

    /// <summary>Waits for the server's signal that the job named by the fetch path's last segment is final (it runs on
    /// the server's own threads), then fetches it once.</summary>
    public static async Task<ApiAnswer> FetchWhenDoneAsync(ServerHost host, string path, JsonObject body)
    {
        var id = long.Parse(path[(path.LastIndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        await host.WaitForJobAsync(id);
        return await host.PostAsync(path, body.DeepClone());
    }
}
