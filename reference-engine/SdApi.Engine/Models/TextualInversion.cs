using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using SdApi.Engine.Lora;
using SdApi.Engine.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace SdApi.Engine.Models;

/// <summary>
/// A textual-inversion embedding (<c>embeddings_model</c>): vectors appended to the text encoder's token-embedding
/// table (through AddInitializer, which accepts the longer table) and spliced into prompts wherever the trigger word,
/// the embedding's id, appears as a whole word (in the prompt or the negative prompt).
/// </summary>
public sealed partial class TextualInversion
{
    public const string TokenEmbeddingName = "text_model.embeddings.token_embedding.weight";

    private TextualInversion(string id, float[][] vectors, bool synthesized)
    {
        Id = id;
        Vectors = vectors;
        Synthesized = synthesized;
    }

    public string Id { get; }
    /// <summary>One vector per token the trigger word stands for.</summary>
    public IReadOnlyList<float[]> Vectors { get; }
    public bool Synthesized { get; }
    /// <summary>Token ids given to the vectors in the extended table (set when the table is built).</summary>
    public IReadOnlyList<int> TokenIds { get; private set; } = [];

    /// <summary>
    /// Reads A1111 (<c>emb_params</c>), SD 1.x "clip_l" or diffusers (one tensor named after the token) layouts:
    /// a tensor of shape [hidden] or [n, hidden].
    /// </summary>
    public static TextualInversion Read(string id, string path, int hiddenSize)
    {
        var file = SafeTensorsFile.ReadFile(path);
        var tensor = file.TryGet("emb_params", out var a1111) ? a1111
            : file.TryGet("clip_l", out var clip) ? clip
            : file.Tensors.Count == 1 ? file.Tensors[0]
            : throw new SafeTensorsException($"Embedding '{id}': expected a tensor named emb_params or clip_l, or a single tensor.");
        var values = tensor.ToFloat32();
        if (values.Length == 0 || values.Length % hiddenSize != 0)
            throw new SafeTensorsException($"Embedding '{id}': shape [{string.Join(',', tensor.Shape)}] does not fit the text encoder's hidden size {hiddenSize}.");
        return new TextualInversion(id, [.. values.Chunk(hiddenSize)], synthesized: false);
    }

    /// <summary>A one-token embedding synthesized from the id (SHA-256 seeded), scaled to the table's RMS times <paramref name="relativeScale"/>.</summary>
    public static TextualInversion Synthesize(string id, int hiddenSize, double tableRms, double relativeScale)
    {
        var seed = SHA256.HashData(Encoding.UTF8.GetBytes("embedding\n" + id));
        var state = BitConverter.ToUInt64(seed, 0);
        var vector = new float[hiddenSize];
        for (var i = 0; i < hiddenSize; i++)
        {
            state += 0x9E3779B97F4A7C15UL;
            var z = (state ^ (state >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            vector[i] = (float)(((z >> 11) / (double)(1UL << 53) * 2 - 1) * Math.Sqrt(3) * tableRms * relativeScale);
        }
        return new TextualInversion(id, [vector], synthesized: true);
    }

    /// <summary>The text encoder's token table with this embedding's vectors appended; records their token ids.</summary>
    public OrtValue? ExtendedTable(string textEncoderPath)
    {
        var tables = OnnxModelReader.ReadInitializers(textEncoderPath, name => name == TokenEmbeddingName);
        if (!tables.TryGetValue(TokenEmbeddingName, out var table) || table.Data is null || table.Dims.Count != 2) return null;
        var (rows, hidden) = ((int)table.Dims[0], (int)table.Dims[1]);
        var extended = new float[(rows + Vectors.Count) * hidden];
        table.Data.CopyTo(extended, 0);
        for (var i = 0; i < Vectors.Count; i++) Vectors[i].CopyTo(extended, (rows + i) * hidden);
        TokenIds = [.. Enumerable.Range(rows, Vectors.Count)];
        return OrtValue.CreateTensorValueFromMemory(extended, [rows + Vectors.Count, hidden]); // caller-owned buffer, as AddInitializer needs
    }

    /// <summary>The RMS of the text encoder's token table and its hidden size (for synthesizing), or null without one.</summary>
    public static (double Rms, int Hidden)? TableStatistics(string textEncoderPath)
    {
        var tables = OnnxModelReader.ReadInitializers(textEncoderPath, name => name == TokenEmbeddingName);
        if (!tables.TryGetValue(TokenEmbeddingName, out var table) || table.Data is null || table.Dims.Count != 2) return null;
        return (Math.Sqrt(table.Data.Select(v => (double)v * v).Average()), (int)table.Dims[1]);
    }

    /// <summary>Splits <paramref name="prompt"/> around whole-word, case-insensitive occurrences of the trigger word.</summary>
    public IReadOnlyList<string> Split(string prompt) => Regex.Split(prompt ?? "", $@"(?<![\p{{L}}\p{{N}}_-]){Regex.Escape(Id)}(?![\p{{L}}\p{{N}}_-])", RegexOptions.IgnoreCase);

    public bool Appears(string? prompt) => prompt is not null && Split(prompt).Count > 1;
}
