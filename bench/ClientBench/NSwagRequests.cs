namespace ClientBench;

/// <summary>The request in the types NSwag generated (the fields whose generated types take the values directly; NSwag's
/// models write every property, so its body carries the spec's defaults for the rest).</summary>
internal static class NSwagRequests
{
    public static NSwagBench.V6Text2ImgRequest Text2Img(string prompt) => new()
    {
        Key = "bench-key",
        Model_id = "midjourney",
        Prompt = prompt,
        Negative_prompt = "blurry",
        Width = 512,
        Height = 512,
        Samples = 1,
        Num_inference_steps = 20,
    };

    /// <summary>The same fields for NSwag 14.8's System.Text.Json client.</summary>
    public static NSwag14Bench.V6Text2ImgRequest Text2Img14(string prompt) => new()
    {
        Key = "bench-key",
        Model_id = "midjourney",
        Prompt = prompt,
        Negative_prompt = "blurry",
        Width = 512,
        Height = 512,
        Samples = 1,
        Num_inference_steps = 20,
    };
}
