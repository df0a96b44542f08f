namespace SdApi.Engine.Lora;

/// <summary>Which network a LoRA target belongs to, from its kohya prefix.</summary>
public enum LoraModule
{
    /// <summary><c>lora_unet_</c></summary>
    Unet,

    /// <summary><c>lora_te_</c> (SD 1.x/2.x) or <c>lora_te1_</c> (SDXL's first encoder)</summary>
    TextEncoder,

    /// <summary><c>lora_te2_</c> (SDXL's second encoder)</summary>
    TextEncoder2,
}

/// <summary>One low-rank update: <c>delta = (Alpha / Rank) * Up @ Down</c> with Down [Rank, InFeatures] and
/// Up [OutFeatures, Rank]. For conv layers InFeatures is in_channels * kh * kw (the kernel flattened, as PyTorch
/// lays out [out, in, kh, kw]), so the delta reshapes straight onto the conv weight.</summary>
public sealed record LoraTarget(
    string Name,
    LoraModule Module,
    int Rank,
    int InFeatures,
    int OutFeatures,
    float Alpha,
    float[] Down,
    float[] Up)
{
    /// <summary>The kohya scale alpha / rank.</summary>
    public float Scale => Alpha / Rank;
}
