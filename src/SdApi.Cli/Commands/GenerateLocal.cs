using System.Globalization;
using SdApi.Cli.Infrastructure;
using SdApi.Engine.Pipeline;

namespace SdApi.Cli.Commands;

/// <summary>What `sdapi generate --local` needs, already parsed from the command line.</summary>
internal sealed record LocalGenerateOptions
{
    public required string Prompt { get; init; }
    public string? NegativePrompt { get; init; }
    public string? Model { get; init; }
    /// <summary>"id:strength" or "id" (strength 1), one per adapter.</summary>
    public IReadOnlyList<string> Loras { get; init; } = [];
    public string? Scheduler { get; init; }
    public long? Seed { get; init; }
    public int Steps { get; init; } = 30;
    public int Width { get; init; } = 512;
    public int Height { get; init; } = 512;
    public int Samples { get; init; } = 1;
    public double GuidanceScale { get; init; } = 7.5;
    public string? InitImage { get; init; }
    public string? MaskImage { get; init; }
    public double Strength { get; init; } = 0.7;
    public required string OutputDirectory { get; init; }
    /// <summary>The model store; default $SDAPI_MODEL_STORE or ~/.sdapi/models.</summary>
    public string? ModelStore { get; init; }
}

/// <summary>
/// `sdapi generate --local`: runs the reference engine in-process (no server), writes one PNG per sample into the
/// output folder and prints each path with its seed. The remote path of the same verb lives in GenerateCommand.
/// </summary>
internal static class LocalGenerator
{
    public static async Task<int> RunAsync(LocalGenerateOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        var request = ToRequest(options);
        var store = options.ModelStore
            ?? Environment.GetEnvironmentVariable("SDAPI_MODEL_STORE")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".sdapi", "models");
        using var engine = new DiffusionEngine(new EngineOptions { ModelStoreDirectory = store });
        GenerationResult result;
        try
        {
            var progress = new StepPrinter(output);
            result = await engine.GenerateAsync(request, progress, cancellationToken).ConfigureAwait(false);
        }
        catch (EngineRequestException ex)
        {
            throw new CliException(ex.Field is null ? ex.Message : $"{ex.Field}: {ex.Message}", ex, ExitCodes.BadInput);
        }

        Directory.CreateDirectory(options.OutputDirectory);
        foreach (var image in result.Images)
        {
            var path = Path.Combine(options.OutputDirectory, $"{image.Seed}.png");
            await File.WriteAllBytesAsync(path, image.Png, cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync($"{path}  seed={image.Seed}  {image.Width}x{image.Height}{(image.NsfwContentDetected ? "  nsfw" : "")}").ConfigureAwait(false);
        }
        foreach (var note in result.Meta.Notes)
            await output.WriteLineAsync($"note: {note}").ConfigureAwait(false);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"model={result.Meta.ModelId} scheduler={result.Meta.Scheduler} steps={result.Meta.Steps} in {result.Elapsed.TotalSeconds:F2} s")).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    internal static GenerationRequest ToRequest(LocalGenerateOptions options)
    {
        var mode = options.MaskImage is not null ? GenerationMode.Inpaint : options.InitImage is not null ? GenerationMode.Img2Img : GenerationMode.Text2Img;
        if (mode == GenerationMode.Inpaint && options.InitImage is null)
            throw new CliException("--mask-image needs --init-image.", ExitCodes.BadInput);
        return new GenerationRequest
        {
            Mode = mode,
            ModelId = options.Model,
            Prompt = options.Prompt,
            NegativePrompt = options.NegativePrompt,
            Width = options.Width,
            Height = options.Height,
            Samples = options.Samples,
            Steps = options.Steps,
            GuidanceScale = options.GuidanceScale,
            Seed = options.Seed,
            Scheduler = options.Scheduler,
            Loras = [.. options.Loras.Select(ParseLora)],
            InitImage = ReadImage(options.InitImage, "--init-image"),
            MaskImage = ReadImage(options.MaskImage, "--mask-image"),
            Strength = options.Strength,
        };
    }

    /// <summary>"id:strength" (strength a number) or "id" (strength 1).</summary>
    internal static LoraSelection ParseLora(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon < 0) return new LoraSelection(text.Trim(), 1);
        var id = text[..colon].Trim();
        if (id.Length == 0 || !double.TryParse(text[(colon + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var strength))
            throw new CliException($"--lora '{text}': expected id:strength, e.g. more_details:0.7.", ExitCodes.BadInput);
        return new LoraSelection(id, strength);
    }

    private static byte[]? ReadImage(string? path, string option)
    {
        if (path is null) return null;
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{option} {path}: {ex.Message}", ex, ExitCodes.BadInput);
        }
    }

    /// <summary>Prints "step n/N" lines as the engine reports them.</summary>
    private sealed class StepPrinter(TextWriter output) : IProgress<GenerationProgress>
    {
        public void Report(GenerationProgress value)
        {
            if (value.Step == value.TotalSteps || value.Step % 10 == 0)
                output.WriteLine($"step {value.Step}/{value.TotalSteps} ({value.Phase})");
        }
    }
}
