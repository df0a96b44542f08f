using System.CommandLine;
using SdApi.Cli.Infrastructure;

namespace SdApi.Cli.Commands;

/// <summary>
/// `sdapi generate`: text2img / img2img / inpaint. Minimal version written by the engine helper for the
/// `--local` path (in-process engine, see <see cref="LocalGenerator"/>); the remote path (calling a server through
/// the bindings) belongs to the CLI and extends this verb.
/// </summary>
internal static class GenerateCommand
{
    public static Command Create()
    {
        var prompt = new Option<string>("--prompt") { Description = "What to draw.", Required = true };
        var negative = new Option<string?>("--negative-prompt") { Description = "What to avoid." };
        var model = new Option<string?>("--model") { Description = "model_id (default: the engine's built-in model)." };
        var lora = new Option<string[]>("--lora") { Description = "A LoRA as id:strength (repeat for several).", AllowMultipleArgumentsPerToken = false };
        var scheduler = new Option<string?>("--scheduler") { Description = "An API scheduler name, e.g. UniPCMultistepScheduler." };
        var seed = new Option<long?>("--seed") { Description = "Seed (default: random, printed)." };
        var steps = new Option<int>("--steps") { Description = "Denoising steps.", DefaultValueFactory = _ => 30 };
        var width = new Option<int>("--width") { Description = "Width, a multiple of 8.", DefaultValueFactory = _ => 512 };
        var height = new Option<int>("--height") { Description = "Height, a multiple of 8.", DefaultValueFactory = _ => 512 };
        var samples = new Option<int>("--samples") { Description = "Images, 1..4.", DefaultValueFactory = _ => 1 };
        var guidance = new Option<double>("--guidance-scale") { Description = "Classifier-free guidance.", DefaultValueFactory = _ => 7.5 };
        var initImage = new Option<string?>("--init-image") { Description = "PNG/JPEG file: img2img (or inpaint with --mask-image)." };
        var maskImage = new Option<string?>("--mask-image") { Description = "PNG/JPEG mask file: white = repaint." };
        var strength = new Option<double>("--strength") { Description = "img2img/inpaint strength 0..1.", DefaultValueFactory = _ => 0.7 };
        var output = new Option<string>("--out") { Description = "Folder for the PNG files.", DefaultValueFactory = _ => "." };
        var local = new Option<bool>("--local") { Description = "Run the reference engine in-process instead of calling a server." };
        var store = new Option<string?>("--model-store") { Description = "Model store folder for --local (default $SDAPI_MODEL_STORE or ~/.sdapi/models)." };

        var command = new Command("generate", Help.Text(
            "Generate images. With --local the reference engine runs in this process (ONNX Runtime, CPU); the built-in "
            + "oracle model draws the colours and shapes the prompt names (red, blue, circle, square, stripes, sky, ...).",
            "sdapi generate --local --prompt \"red circle on grass\" --seed 42 --steps 20 --out out/",
            "sdapi generate --local --prompt \"blue square\" --lora more_details:0.7 --scheduler EulerDiscreteScheduler --out out/"))
        {
            prompt, negative, model, lora, scheduler, seed, steps, width, height, samples, guidance,
            initImage, maskImage, strength, output, local, store,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!parse.GetValue(local))
                throw new CliException("Remote generation is not available in this build yet; pass --local to run the engine in-process.", ExitCodes.BadInput);
            var options = new LocalGenerateOptions
            {
                Prompt = parse.GetValue(prompt)!,
                NegativePrompt = parse.GetValue(negative),
                Model = parse.GetValue(model),
                Loras = parse.GetValue(lora) ?? [],
                Scheduler = parse.GetValue(scheduler),
                Seed = parse.GetValue(seed),
                Steps = parse.GetValue(steps),
                Width = parse.GetValue(width),
                Height = parse.GetValue(height),
                Samples = parse.GetValue(samples),
                GuidanceScale = parse.GetValue(guidance),
                InitImage = parse.GetValue(initImage),
                MaskImage = parse.GetValue(maskImage),
                Strength = parse.GetValue(strength),
                OutputDirectory = parse.GetValue(output)!,
                ModelStore = parse.GetValue(store),
            };
            return await LocalGenerator.RunAsync(options, parse.InvocationConfiguration.Output, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
