namespace SdApi.Engine.Lora;

/// <summary>A LoRA: its id and low-rank updates by kohya target name.</summary>
public sealed class LoraAdapter
{
    public LoraAdapter(string id, IEnumerable<LoraTarget> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        Id = id;
        Targets = targets.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    public string Id { get; }

    public IReadOnlyDictionary<string, LoraTarget> Targets { get; }

    /// <summary>Reads kohya-format tensors (also diffusers/PEFT names, see <see cref="DiffusersLoraKey"/>).
    /// Down [r, in] or [r, in, kh, kw]; up [out, r] or [out, r, 1, 1]; a missing alpha means alpha = rank (scale 1),
    /// as kohya does. Other tensors are ignored; a file with no LoRA tensors at all (e.g. LyCORIS LoHa/LoKr), a target
    /// with only one of down/up, or mismatched ranks is a <see cref="SafeTensorsException"/>.</summary>
    public static LoraAdapter FromSafeTensors(string id, SafeTensorsFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var parts = new Dictionary<string, (LoraModule Module, SafeTensor? Down, SafeTensor? Up, float? Alpha)>(StringComparer.Ordinal);
        foreach (var tensor in file.Tensors)
        {
            if (!KohyaKey.TryParse(tensor.Name, out var target, out var module, out var part)
                && !DiffusersLoraKey.TryParse(tensor.Name, out target, out module, out part))
                continue;
            var p = parts.GetValueOrDefault(target, (module, null, null, null));
            p = part switch
            {
                KohyaPart.Down => p with { Down = tensor },
                KohyaPart.Up => p with { Up = tensor },
                _ => p with { Alpha = tensor.ToFloat32().FirstOrDefault() },
            };
            parts[target] = p;
        }
        if (parts.Count == 0)
            throw new SafeTensorsException($"LoRA '{id}' has no kohya or diffusers LoRA tensors (lora_down/lora_up, lora_A/lora_B); LyCORIS variants are not supported.");
        var targets = new List<LoraTarget>();
        foreach (var (name, (module, down, up, alpha)) in parts.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (down is null || up is null)
                throw new SafeTensorsException($"LoRA '{id}': target '{name}' lacks its {(down is null ? "lora_down" : "lora_up")} weight.");
            if (down.Shape.Count < 2 || up.Shape.Count < 2)
                throw new SafeTensorsException($"LoRA '{id}': target '{name}' has weights of rank below 2.");
            var rank = (int)down.Shape[0];
            var inFeatures = (int)(down.ElementCount / rank);
            var outFeatures = (int)up.Shape[0];
            if (up.Shape[1] != rank || up.ElementCount != (long)outFeatures * rank)
                throw new SafeTensorsException($"LoRA '{id}': target '{name}' has lora_up [{string.Join(',', up.Shape)}] that does not match rank {rank}.");
            targets.Add(new LoraTarget(name, module, rank, inFeatures, outFeatures, alpha ?? rank, down.ToFloat32(), up.ToFloat32()));
        }
        return new LoraAdapter(id, targets);
    }

    /// <summary>Writes the adapter back in kohya format (F32, with alpha tensors).</summary>
    public byte[] ToSafeTensors(IReadOnlyDictionary<string, string>? metadata = null) =>
        SafeTensorsWriter.Write(
            Targets.Values.OrderBy(t => t.Name, StringComparer.Ordinal).SelectMany(t => new SafeTensorEntry[]
            {
                new($"{t.Name}.alpha", [], [t.Alpha]),
                new($"{t.Name}.lora_down.weight", [t.Rank, t.InFeatures], t.Down),
                new($"{t.Name}.lora_up.weight", [t.OutFeatures, t.Rank], t.Up),
            }),
            metadata);
}
