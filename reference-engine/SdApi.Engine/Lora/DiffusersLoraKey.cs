namespace SdApi.Engine.Lora;

/// <summary>LoRA tensor names written by diffusers/PEFT, mapped to the kohya target they mean:
/// <c>unet.&lt;module&gt;.lora_A.weight</c> / <c>lora_B.weight</c> (PEFT), <c>unet.&lt;module&gt;.lora.down.weight</c> /
/// <c>lora.up.weight</c>, and the older attention-processor form <c>unet.&lt;block&gt;.processor.to_q_lora.down.weight</c>;
/// prefixes <c>unet.</c>, <c>text_encoder.</c>, <c>text_encoder_2.</c>. <c>&lt;module&gt;.alpha</c> is read when present.</summary>
public static class DiffusersLoraKey
{
    private static readonly (string Suffix, KohyaPart Part)[] Suffixes =
    [
        (".lora_A.weight", KohyaPart.Down), (".lora_B.weight", KohyaPart.Up),
        (".lora.down.weight", KohyaPart.Down), (".lora.up.weight", KohyaPart.Up),
        ("_lora.down.weight", KohyaPart.Down), ("_lora.up.weight", KohyaPart.Up),
        (".alpha", KohyaPart.Alpha),
    ];

    private static readonly (string Prefix, LoraModule Module)[] Prefixes =
        [("unet.", LoraModule.Unet), ("text_encoder.", LoraModule.TextEncoder), ("text_encoder_2.", LoraModule.TextEncoder2)];

    public static bool TryParse(string key, out string target, out LoraModule module, out KohyaPart part)
    {
        ArgumentNullException.ThrowIfNull(key);
        (target, module, part) = ("", LoraModule.Unet, KohyaPart.Down);
        var prefix = Array.Find(Prefixes, p => key.StartsWith(p.Prefix, StringComparison.Ordinal));
        var suffix = Array.Find(Suffixes, s => key.EndsWith(s.Suffix, StringComparison.Ordinal));
        if (prefix.Prefix is null || suffix.Suffix is null)
            return false;
        var path = key[prefix.Prefix.Length..^suffix.Suffix.Length];
        // Attention processors name the projection "processor.to_q_lora"; the module is "to_q" ("to_out.0" for the output).
        if (suffix.Suffix.StartsWith('_'))
        {
            path = path.Replace(".processor.", ".", StringComparison.Ordinal);
            if (path.EndsWith(".to_out", StringComparison.Ordinal))
                path += ".0";
        }
        if (path.Length == 0)
            return false;
        (module, part) = (prefix.Module, suffix.Part);
        target = LoraNameMap.ToKohyaTarget(path, module);
        return true;
    }
}
