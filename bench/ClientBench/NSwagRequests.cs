namespace ClientBench;

/// <summary>The same request as the other clients, in the types NSwag generated.</summary>
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
}
