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

    /// <summary>Polls a fetch endpoint until the job is no longer processing.</summary>
    public static async Task<ApiAnswer> FetchUntilDoneAsync(ServerHost host, string path, JsonObject body, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var answer = await host.PostAsync(path, body.DeepClone());
            if (answer.Status != "processing" || DateTime.UtcNow > until)
                return answer;
            await Task.Delay(100); // polls the server until the job it runs on its own threads is final
        }
    }
}
