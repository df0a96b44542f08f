using SdApi.Engine.Lora;
using SdApi.Engine.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace SdApi.Engine.Models;

/// <summary>One adapter of a request with its own strength.</summary>
public sealed record WeightedAdapter(LoraAdapter Adapter, float Strength);

/// <summary>
/// Merges LoRA adapters into one network's weights: reads the initializers the adapters target from the ONNX file,
/// computes <c>W' = W + sum_i s_i (alpha_i / rank_i) up_i @ down_i</c> (transposed for MatMul's [in, out] weights)
/// and returns the merged tensors, to be handed to the session through <c>AddInitializer</c>.
/// </summary>
public static class LoraMerger
{
    /// <summary>The merged initializers for <paramref name="module"/>; adapter targets the network lacks are returned as unmatched.</summary>
    public static (Dictionary<string, OrtValue> Initializers, IReadOnlyList<string> Unmatched) Merge(
        string modelPath, LoraModule module, IReadOnlyList<WeightedAdapter> adapters)
    {
        ArgumentNullException.ThrowIfNull(adapters);
        var wanted = adapters.SelectMany(a => a.Adapter.Targets.Values).Where(t => t.Module == module).Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var result = new Dictionary<string, OrtValue>(StringComparer.Ordinal);
        if (wanted.Count == 0) return (result, []);

        var wantedInitializers = new HashSet<string>(StringComparer.Ordinal);
        var initializers = OnnxModelReader.ReadInitializers(modelPath, name =>
        {
            var match = name.EndsWith(".weight", StringComparison.Ordinal) && wanted.Contains(LoraNameMap.ToKohyaTarget(name, module));
            if (match) wantedInitializers.Add(name);
            return match;
        });
        var map = LoraNameMap.Build(initializers.Keys, module);
        var unmatched = new List<string>();
        foreach (var target in wanted.Order(StringComparer.Ordinal))
        {
            if (!map.TryGetValue(target, out var name) || initializers[name].Data is not { } weight)
            {
                unmatched.Add(target);
                continue;
            }
            var info = initializers[name];
            var layout = info.Use is OnnxWeightUse.MatMulRight or OnnxWeightUse.GemmPlain ? LoraWeightLayout.InOut : LoraWeightLayout.OutIn;
            var scaled = adapters
                .Where(a => a.Adapter.Targets.ContainsKey(target))
                .Select(a => new ScaledLoraTarget(a.Adapter.Targets[target], a.Strength));
            var merged = LoraMerge.Merge(weight, info.Dims, scaled, layout);
            result[name] = OrtValue.CreateTensorValueFromMemory(merged, [.. info.Dims]); // over the array: AddInitializer needs a buffer the caller owns
        }
        return (result, unmatched);
    }

    /// <summary>
    /// The layers a synthesized adapter touches: every attention projection (<c>attn*.to_q/k/v/out</c>) weight of
    /// the UNet that has a module name, with its RMS (the synthesized delta is scaled to it).
    /// </summary>
    public static IReadOnlyList<(LoraTargetShape Shape, double Rms)> SynthesisTargets(string unetPath)
    {
        var targets = new List<(LoraTargetShape, double)>();
        var data = OnnxModelReader.ReadInitializers(unetPath, IsAttentionProjection);
        foreach (var info in data.Values.Where(i => i.Data is not null && i.Dims.Count == 2).OrderBy(i => i.Name, StringComparer.Ordinal))
        {
            var (outFeatures, inFeatures) = info.Use is OnnxWeightUse.MatMulRight or OnnxWeightUse.GemmPlain
                ? ((int)info.Dims[1], (int)info.Dims[0])
                : ((int)info.Dims[0], (int)info.Dims[1]);
            var rms = Math.Sqrt(info.Data!.Select(v => (double)v * v).Average());
            targets.Add((new LoraTargetShape(LoraNameMap.ToKohyaTarget(info.Name, LoraModule.Unet), outFeatures, inFeatures), rms));
        }
        return targets;
    }

    private static bool IsAttentionProjection(string name) =>
        name.EndsWith(".weight", StringComparison.Ordinal) && name.Contains(".attn", StringComparison.Ordinal) &&
        (name.Contains(".to_q.", StringComparison.Ordinal) || name.Contains(".to_k.", StringComparison.Ordinal) ||
         name.Contains(".to_v.", StringComparison.Ordinal) || name.Contains(".to_out.", StringComparison.Ordinal));
}
