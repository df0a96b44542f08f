using KiotaBench.Models;

namespace ClientBench;

/// <summary>The same request as the SdApi and hand-written clients, in the types Kiota generated (its composed types
/// wrap the spec's integer-or-string fields; yes/no flags are enums).</summary>
internal static class KiotaRequests
{
    public static V6Text2ImgRequest Text2Img(string prompt) => new()
    {
        Key = "bench-key",
        ModelId = "midjourney",
        Prompt = prompt,
        NegativePrompt = "blurry",
        Width = new V6Text2ImgRequest.V6Text2ImgRequest_width { Integer = 512 },
        Height = new V6Text2ImgRequest.V6Text2ImgRequest_height { Integer = 512 },
        Samples = new V6Text2ImgRequest.V6Text2ImgRequest_samples { Integer = 1 },
        NumInferenceSteps = new V6Text2ImgRequest.V6Text2ImgRequest_num_inference_steps { Integer = 20 },
        SafetyChecker = V6Text2ImgRequest_safety_checker.No,
        EnhancePrompt = V6Text2ImgRequest_enhance_prompt.Yes,
        GuidanceScale = new V6Text2ImgRequest.V6Text2ImgRequest_guidance_scale { Double = 7.5 },
        Panorama = V6Text2ImgRequest_panorama.No,
        SelfAttention = V6Text2ImgRequest_self_attention.No,
        Upscale = new V6Text2ImgRequest.V6Text2ImgRequest_upscale { String = "no" },
        Tomesd = V6Text2ImgRequest_tomesd.Yes,
        ClipSkip = new V6Text2ImgRequest.V6Text2ImgRequest_clip_skip { Integer = 2 },
        UseKarrasSigmas = V6Text2ImgRequest_use_karras_sigmas.Yes,
        Scheduler = V6Text2ImgRequest_scheduler.UniPCMultistepScheduler,
    };
}
