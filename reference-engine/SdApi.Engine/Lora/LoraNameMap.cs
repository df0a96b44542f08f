namespace SdApi.Engine.Lora;

/// <summary>Maps kohya target names to ONNX initializer names. Kohya names are the diffusers module path with dots
/// turned into underscores and a module prefix: initializer <c>down_blocks.0.attentions.0.proj_in.weight</c> of the
/// UNet is target <c>lora_unet_down_blocks_0_attentions_0_proj_in</c>; <c>text_model.encoder.layers.0.self_attn.q_proj.weight</c>
/// of the text encoder is <c>lora_te_text_model_encoder_layers_0_self_attn_q_proj</c>. Initializers that a torch
/// export renamed (e.g. <c>onnx::MatMul_1234</c>) carry no module path and cannot be matched by name.</summary>
public static class LoraNameMap
{
    /// <summary>The kohya target name an initializer would have: strip a leading '/', a trailing <c>.weight</c>,
    /// turn '.', '/' and ':' into '_', add the module prefix.</summary>
    public static string ToKohyaTarget(string initializerName, LoraModule module)
    {
        ArgumentNullException.ThrowIfNull(initializerName);
        var path = initializerName.TrimStart('/');
        if (path.EndsWith(".weight", StringComparison.Ordinal))
            path = path[..^".weight".Length];
        path = path.Replace('.', '_').Replace('/', '_').Replace(':', '_');
        return KohyaKey.Prefix(module) + path;
    }

    /// <summary>For one network's initializers: kohya target name -> initializer name, for every initializer whose
    /// name ends in <c>.weight</c>. When two initializers normalise to the same target, the first one wins.</summary>
    public static IReadOnlyDictionary<string, string> Build(IEnumerable<string> initializerNames, LoraModule module)
    {
        ArgumentNullException.ThrowIfNull(initializerNames);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in initializerNames)
            if (name.EndsWith(".weight", StringComparison.Ordinal))
                map.TryAdd(ToKohyaTarget(name, module), name);
        return map;
    }

    /// <summary>The adapter's targets for <paramref name="module"/> that have no initializer in <paramref name="map"/>
    /// (the engine reports or ignores them).</summary>
    public static IReadOnlyList<string> Unmatched(LoraAdapter adapter, IReadOnlyDictionary<string, string> map, LoraModule module)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        ArgumentNullException.ThrowIfNull(map);
        return [.. adapter.Targets.Values.Where(t => t.Module == module && !map.ContainsKey(t.Name)).Select(t => t.Name).Order(StringComparer.Ordinal)];
    }
}
