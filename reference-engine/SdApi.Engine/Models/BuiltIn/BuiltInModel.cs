using System.Security.Cryptography;
using System.Text;

namespace SdApi.Engine.Models.BuiltIn;

/// <summary>
/// Writes the built-in oracle model into the model store on first use, deterministically, in the diffusers ONNX
/// layout (so the same loader serves it and any real export). Nothing is downloaded and nothing is committed.
/// </summary>
public static class BuiltInModel
{
    /// <summary>The model id of the built-in model.</summary>
    public const string Id = "sdapi-oracle";

    private static readonly Lock WriteLock = new();

    /// <summary>Each file of the model, by relative path.</summary>
    public static IReadOnlyDictionary<string, byte[]> Files()
    {
        var tokenizer = OracleTokenizerFiles.Create();
        return new SortedDictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["model_index.json"] = Encoding.UTF8.GetBytes(ModelIndexJson),
            ["scheduler/scheduler_config.json"] = Encoding.UTF8.GetBytes(SchedulerConfigJson),
            ["tokenizer/vocab.json"] = Encoding.UTF8.GetBytes(tokenizer.VocabJson()),
            ["tokenizer/merges.txt"] = Encoding.UTF8.GetBytes(tokenizer.MergesText()),
            ["text_encoder/model.onnx"] = OracleTextEncoder.Build(tokenizer.Vocabulary),
            ["unet/model.onnx"] = OracleUnet.Build(),
            ["vae_decoder/model.onnx"] = OracleVae.BuildDecoder(),
            ["vae_encoder/model.onnx"] = OracleVae.BuildEncoder(),
        };
    }

    /// <summary>Writes the model under <paramref name="folder"/> unless an identical copy is there; returns the folder.</summary>
    public static string EnsureWritten(string folder)
    {
        lock (WriteLock)
        {
            var files = Files();
            var fingerprint = Fingerprint(files);
            var marker = Path.Combine(folder, ".sdapi-oracle");
            if (File.Exists(marker) && File.ReadAllText(marker) == fingerprint) return folder;

            // Write beside, then swap in, so a concurrent reader never sees half a model.
            var staging = folder.TrimEnd('/') + $".staging-{Environment.ProcessId}-{Guid.NewGuid():N}";
            foreach (var (path, bytes) in files)
            {
                var target = Path.Combine(staging, path);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.WriteAllBytes(target, bytes);
            }
            File.WriteAllText(Path.Combine(staging, ".sdapi-oracle"), fingerprint);
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(folder))!);
            try { Directory.Move(staging, folder); }
            catch (IOException) when (File.Exists(marker)) { Directory.Delete(staging, recursive: true); }
            return folder;
        }
    }

    private static string Fingerprint(IReadOnlyDictionary<string, byte[]> files)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (path, bytes) in files)
        {
            sha.AppendData(Encoding.UTF8.GetBytes(path));
            sha.AppendData(bytes);
        }
        return Convert.ToHexString(sha.GetHashAndReset());
    }

    private const string ModelIndexJson = """
        {"_class_name": "OnnxStableDiffusionPipeline", "_diffusers_version": "0.30.0", "_sdapi": "built-in oracle model",
         "text_encoder": ["diffusers", "OnnxRuntimeModel"], "unet": ["diffusers", "OnnxRuntimeModel"],
         "vae_decoder": ["diffusers", "OnnxRuntimeModel"], "vae_encoder": ["diffusers", "OnnxRuntimeModel"],
         "tokenizer": ["transformers", "CLIPTokenizer"], "scheduler": ["diffusers", "UniPCMultistepScheduler"]}
        """;

    /// <summary>
    /// Stable Diffusion 1.5's noise schedule with UniPC (the API examples' scheduler) instead of SD 1.5's PNDM: diffusers'
    /// img2img slices PNDM's schedule through its duplicated warm-up step, and with an exact model that leaves visible
    /// noise at some strength/step pairs (measured in reference-engine/README.md); UniPC is clean at every one.
    /// </summary>
    private const string SchedulerConfigJson = """
        {"_class_name": "UniPCMultistepScheduler", "_diffusers_version": "0.6.0", "beta_end": 0.012, "beta_schedule": "scaled_linear",
         "beta_start": 0.00085, "clip_sample": false, "num_train_timesteps": 1000, "set_alpha_to_one": false,
         "skip_prk_steps": true, "steps_offset": 1, "trained_betas": null}
        """;
}
