namespace SdApi.Engine.Lora;

/// <summary>Which part of a target a kohya tensor holds.</summary>
public enum KohyaPart
{
    Down,
    Up,
    Alpha,
}

/// <summary>Kohya-ss LoRA tensor names: <c>lora_unet_&lt;path&gt;.lora_down.weight</c>, <c>.lora_up.weight</c>,
/// <c>.alpha</c>, with prefixes <c>lora_unet_</c>, <c>lora_te_</c>, <c>lora_te1_</c>, <c>lora_te2_</c>.
/// The target name is everything before the first dot (e.g. <c>lora_unet_down_blocks_0_attentions_0_proj_in</c>).</summary>
public static class KohyaKey
{
    public static bool TryParse(string key, out string target, out LoraModule module, out KohyaPart part)
    {
        ArgumentNullException.ThrowIfNull(key);
        target = "";
        module = LoraModule.Unet;
        part = KohyaPart.Down;
        var dot = key.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0)
            return false;
        var suffix = key[(dot + 1)..];
        switch (suffix)
        {
            case "lora_down.weight": part = KohyaPart.Down; break;
            case "lora_up.weight": part = KohyaPart.Up; break;
            case "alpha": part = KohyaPart.Alpha; break;
            default: return false;
        }
        target = key[..dot];
        if (!TryModule(target, out module))
            return false;
        return true;
    }

    /// <summary>The network a target name belongs to, from its prefix.</summary>
    public static bool TryModule(string target, out LoraModule module)
    {
        ArgumentNullException.ThrowIfNull(target);
        (module, var ok) = target switch
        {
            _ when target.StartsWith(Prefix(LoraModule.Unet), StringComparison.Ordinal) => (LoraModule.Unet, true),
            _ when target.StartsWith("lora_te_", StringComparison.Ordinal) || target.StartsWith("lora_te1_", StringComparison.Ordinal) => (LoraModule.TextEncoder, true),
            _ when target.StartsWith(Prefix(LoraModule.TextEncoder2), StringComparison.Ordinal) => (LoraModule.TextEncoder2, true),
            _ => (LoraModule.Unet, false),
        };
        return ok;
    }

    /// <summary>The prefix written for a module (<c>lora_te_</c> for the text encoder).</summary>
    public static string Prefix(LoraModule module) => module switch
    {
        LoraModule.TextEncoder => "lora_te_",
        LoraModule.TextEncoder2 => "lora_te2_",
        _ => "lora_unet_",
    };
}
