using System.Globalization;
using SdApi.Cli.Commands;
using SdApi.Cli.Infrastructure;

namespace SdApi.Cli.Remote;

/// <summary>`--lora id:strength` (repeatable) becomes the API's paired fields: <c>lora_model: "a,b"</c> and
/// <c>lora_strength: "0.5,0.7"</c>. Parsing is the same as for --local (an id without a strength gets 1).</summary>
internal static class LoraList
{
    public static (string Models, string Strengths)? ToFields(IReadOnlyList<string> loras)
    {
        if (loras.Count == 0)
            return null;
        var selections = loras.Select(LocalGenerator.ParseLora).ToList();
        if (selections.FirstOrDefault(s => s.Id.Contains(',', StringComparison.Ordinal)) is { } bad)
            throw new CliException($"--lora '{bad.Id}': one LoRA per --lora (repeat the option for several)", ExitCodes.BadInput);
        return (string.Join(',', selections.Select(s => s.Id)),
                string.Join(',', selections.Select(s => s.Strength.ToString(CultureInfo.InvariantCulture))));
    }
}
