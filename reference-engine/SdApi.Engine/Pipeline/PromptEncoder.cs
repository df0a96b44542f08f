using System.Globalization;
using SdApi.Engine.Models;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SdApi.Engine.Ort;
using SdApi.Engine.Text;

namespace SdApi.Engine.Pipeline;

/// <summary>Prompt embeddings for a batch of prompts: [count, 77, hidden] flat, with clip_skip applied where the text encoder allows.</summary>
internal sealed record PromptEmbeddings(float[] Values, int Count, int SequenceLength, int HiddenSize, bool ClipSkipApplied)
{
    public int PerPrompt => SequenceLength * HiddenSize;
}

/// <summary>Tokenizes prompts and runs the text encoder once for the whole batch.</summary>
internal static class PromptEncoder
{
    public static PromptEmbeddings Encode(ModelSession textEncoder, ClipTokenizer tokenizer, IReadOnlyList<string> prompts, int clipSkip, TextualInversion? embedding = null)
    {
        var ids = prompts.SelectMany(p => TokenIds(tokenizer, p, embedding)).ToArray();
        var shape = new long[] { prompts.Count, ClipTokenizer.DefaultMaxLength };
        var input = textEncoder.Session.InputNames[0];
        using var tensor = textEncoder.Inputs[input].ElementDataType == TensorElementType.Int32
            ? OrtValue.CreateTensorValueFromMemory(ids, shape)
            : OrtValue.CreateTensorValueFromMemory(ids.Select(i => (long)i).ToArray(), shape);

        var (output, applied) = ChooseOutput(textEncoder, clipSkip);
        using var results = textEncoder.Run([input], [tensor], [output]);
        var hidden = results[0];
        var dims = hidden.GetTensorTypeAndShape().Shape;
        return new PromptEmbeddings(hidden.GetTensorDataAsSpan<float>().ToArray(), prompts.Count, (int)dims[1], (int)dims[2], applied);
    }

    /// <summary>Start, tokens (the embedding's token ids where its trigger word stands), end, padding: 77 ids.</summary>
    private static int[] TokenIds(ClipTokenizer tokenizer, string prompt, TextualInversion? embedding)
    {
        if (embedding is null || embedding.TokenIds.Count == 0 || !embedding.Appears(prompt))
            return tokenizer.EncodeForModel(prompt, ClipTokenizer.DefaultMaxLength);
        var tokens = new List<int>();
        var parts = embedding.Split(prompt);
        for (var i = 0; i < parts.Count; i++)
        {
            if (i > 0) tokens.AddRange(embedding.TokenIds);
            tokens.AddRange(tokenizer.Encode(parts[i]));
        }
        var ids = new int[ClipTokenizer.DefaultMaxLength];
        Array.Fill(ids, tokenizer.PadId);
        ids[0] = tokenizer.BosId;
        var n = Math.Min(tokens.Count, ids.Length - 2);
        for (var i = 0; i < n; i++) ids[i + 1] = tokens[i];
        ids[n + 1] = tokenizer.EosId;
        return ids;
    }

    /// <summary>
    /// clip_skip 1 = <c>last_hidden_state</c>; k &gt; 1 = <c>hidden_states.(N+1-k)</c> when the export lists hidden states
    /// (N = the last index); without them the last layer is used and the caller notes that clip_skip was not applied.
    /// </summary>
    private static (string Output, bool Applied) ChooseOutput(ModelSession textEncoder, int clipSkip)
    {
        if (clipSkip <= 1) return ("last_hidden_state", true);
        var layers = textEncoder.Outputs.Keys
            .Where(n => n.StartsWith("hidden_states.", StringComparison.Ordinal))
            .Select(n => int.TryParse(n["hidden_states.".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : -1)
            .Where(i => i >= 0)
            .ToList();
        if (layers.Count == 0) return ("last_hidden_state", false);
        var index = Math.Max(layers.Max() + 1 - clipSkip, 0);
        return ($"hidden_states.{index}", true);
    }
}
