using System.CommandLine;
using System.Globalization;
using SdApi.Cli.Infrastructure;
using SdApi.Cli.Remote;

namespace SdApi.Cli.Commands;

/// <summary>
/// `sdapi generate [text2img|img2img|inpaint]`. Without --local it calls a server through the generated client
/// (<see cref="RemoteGenerator"/>); every body field of the generate operations in openapi.yaml is an option.
/// With --local the reference engine runs in-process (<see cref="LocalGenerator"/>, written by the engine helper).
/// </summary>
internal static class GenerateCommand
{
    private static readonly string[] Modes = ["text2img", "img2img", "inpaint"];

    public static Command Create()
    {
        var mode = new Argument<string?>("MODE")
        {
            Description = "text2img, img2img or inpaint (default: inpaint with --mask-image, img2img with --init-image, else text2img).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        mode.AcceptOnlyFromAmong(Modes);
        var prompt = new Option<string>("--prompt") { Description = "What to draw." };
        var negative = new Option<string?>("--negative-prompt") { Description = "What to avoid." };
        var model = new Option<string?>("--model", "--model-id") { Description = "model_id (default: the engine's built-in model)." };
        var lora = new Option<string[]>("--lora") { Description = "A LoRA as id:strength (repeat for several); sent as lora_model \"a,b\" + lora_strength \"0.5,0.7\".", AllowMultipleArgumentsPerToken = false };
        var scheduler = new Option<string?>("--scheduler") { Description = "An API scheduler name, e.g. UniPCMultistepScheduler." };
        var seed = new Option<long?>("--seed") { Description = "Seed (default: random, printed)." };
        var steps = new Option<int>("--steps", "--num-inference-steps") { Description = "Denoising steps.", DefaultValueFactory = _ => 30 };
        var width = new Option<int>("--width") { Description = "Width, a multiple of 8.", DefaultValueFactory = _ => 512 };
        var height = new Option<int>("--height") { Description = "Height, a multiple of 8.", DefaultValueFactory = _ => 512 };
        var samples = new Option<int>("--samples") { Description = "Images, 1..4.", DefaultValueFactory = _ => 1 };
        var guidance = new Option<double>("--guidance-scale") { Description = "Classifier-free guidance.", DefaultValueFactory = _ => 7.5 };
        var initImage = new Option<string?>("--init-image") { Description = "Image URL, or a PNG/JPEG file (sent as base64): img2img (or inpaint with --mask-image)." };
        var maskImage = new Option<string?>("--mask-image") { Description = "Mask URL or PNG/JPEG file: white = repaint." };
        var strength = new Option<double>("--strength") { Description = "img2img/inpaint strength 0..1.", DefaultValueFactory = _ => 0.7 };
        var output = new Option<string>("--out") { Description = "Folder for the image files.", DefaultValueFactory = _ => "." };
        var local = new Option<bool>("--local") { Description = "Run the reference engine in-process instead of calling a server." };
        var store = new Option<string?>("--model-store") { Description = "Model store folder for --local (default $SDAPI_MODEL_STORE or ~/.sdapi/models)." };

        // Remote-only settings.
        var api = new Option<string>("--api") { Description = "API version of the operation: v6 (images/*) or v4 (dreambooth).", DefaultValueFactory = _ => "v6" };
        api.AcceptOnlyFromAmong("v6", "v4");
        var baseUrl = new Option<string?>("--base-url") { Description = "Where the API lives (default https://stablediffusionapi.com/ or $SDAPI_BASE_URL)." };
        var key = new Option<string?>("--key") { Description = $"API key (default ${RemoteGenerator.KeyVariable})." };
        var showMeta = new Option<bool>("--show-meta") { Description = "Print the response's meta (seed, model, scheduler, ...) as JSON." };
        var timeout = new Option<int?>("--timeout") { Description = "Seconds to wait for a processing job (default 300)." };

        // Wire name -> the hand-named option above that sends it.
        var named = new (string Wire, Option Option)[]
        {
            ("prompt", prompt), ("negative_prompt", negative), ("model_id", model), ("scheduler", scheduler), ("seed", seed),
            ("num_inference_steps", steps), ("width", width), ("height", height), ("samples", samples), ("guidance_scale", guidance),
            ("init_image", initImage), ("mask_image", maskImage), ("strength", strength),
        };
        var taken = named.SelectMany(n => n.Option.Aliases.Append(n.Option.Name)).ToHashSet(StringComparer.Ordinal);
        var specOptions = GenerateFields.ForGenerate()
            .Where(f => f.WireName != "key" && !named.Any(n => n.Wire == f.WireName) && !taken.Contains(f.OptionName))
            .Select(f => (f.WireName, Option: new Option<string?>(f.OptionName) { Description = $"{f.Description} [{f.WireName}, {Where(f)}]" }))
            .ToList();

        var command = new Command("generate", Help.Text(
            "Generate images with text2img, img2img or inpaint. By default it calls a server (--base-url, --key or $SDAPI_KEY) "
            + "through the generated client, shows status and eta while the job is processing, and saves the outputs "
            + "(downloaded links or decoded base64) into --out. Every request field of the API is an option "
            + "(--num-inference-steps, --safety-checker, ...); only the options you give are sent, so the [default: ...] "
            + "values below are --local's and a server applies its own. With --local the reference engine runs in this process "
            + "(ONNX Runtime, CPU); its built-in oracle model draws the colours and shapes the prompt names.",
            "sdapi generate text2img --base-url http://127.0.0.1:5000 --key $SDAPI_KEY --prompt \"a red fox\" --lora more_details:0.7 --show-meta --out out/",
            "sdapi generate img2img --api v4 --init-image photo.png --prompt \"watercolor\" --strength 0.5 --out out/",
            "sdapi generate --local --prompt \"red circle on grass\" --seed 42 --steps 20 --out out/",
            "sdapi generate --local --prompt \"blue square\" --lora more_details:0.7 --scheduler EulerDiscreteScheduler --out out/"))
        {
            mode, prompt, negative, model, lora, scheduler, seed, steps, width, height, samples, guidance,
            initImage, maskImage, strength, output, local, store, api, baseUrl, key, showMeta, timeout,
        };
        foreach (var (_, option) in specOptions)
            command.Options.Add(option);

        command.SetAction(async (parse, cancellationToken) =>
        {
            var chosen = Mode(parse.GetValue(mode), parse.GetValue(initImage), parse.GetValue(maskImage));
            var given = specOptions.Where(o => IsGiven(parse, o.Option)).ToList();
            if (!parse.GetValue(local))
            {
                var values = named.Concat(given.Select(g => (g.WireName, (Option)g.Option)))
                    .Where(n => IsGiven(parse, n.Item2))
                    .ToDictionary(n => n.Item1, n => parse.GetResult(n.Item2)!.Tokens[^1].Value, StringComparer.Ordinal);
                var remote = new RemoteGenerateOptions
                {
                    OperationId = parse.GetValue(api) + char.ToUpperInvariant(chosen[0]) + chosen[1..].Replace("2img", "2Img", StringComparison.Ordinal),
                    Values = values,
                    Loras = parse.GetValue(lora) ?? [],
                    BaseUrl = BaseUrl(parse.GetValue(baseUrl) ?? Environment.GetEnvironmentVariable("SDAPI_BASE_URL")),
                    Key = parse.GetValue(key),
                    OutputDirectory = parse.GetValue(output)!,
                    ShowMeta = parse.GetValue(showMeta),
                    Timeout = parse.GetValue(timeout) is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
                };
                return await RemoteGenerator.RunAsync(remote, parse.InvocationConfiguration.Output, cancellationToken).ConfigureAwait(false);
            }

            if (given.Count > 0)
                throw new CliException($"{given[0].Option.Name} is a server parameter; --local takes only the options its help lists without [field, ...]", ExitCodes.BadInput);
            var options = new LocalGenerateOptions
            {
                Prompt = parse.GetValue(prompt) ?? throw new CliException("--prompt is required", ExitCodes.BadInput),
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

    /// <summary>The mode named on the command line, checked against the images given; else inferred from them.</summary>
    private static string Mode(string? named, string? initImage, string? maskImage)
    {
        var inferred = maskImage is not null ? "inpaint" : initImage is not null ? "img2img" : "text2img";
        return named switch
        {
            null => inferred,
            "img2img" or "inpaint" when initImage is null => throw new CliException($"{named} needs --init-image", ExitCodes.BadInput),
            "inpaint" when maskImage is null => throw new CliException("inpaint needs --mask-image", ExitCodes.BadInput),
            "text2img" or "img2img" when maskImage is not null => throw new CliException($"--mask-image is for inpaint, not {named}", ExitCodes.BadInput),
            _ => named,
        };
    }

    private static bool IsGiven(ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false, Tokens.Count: > 0 };

    private static Uri? BaseUrl(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        if (!Uri.TryCreate(text.EndsWith('/') ? text : text + "/", UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new CliException($"--base-url '{text}' is not an http(s) URL", ExitCodes.BadInput);
        return uri;
    }

    /// <summary>"all generate operations" or the operation ids that have the field.</summary>
    private static string Where(GenerateField field) =>
        field.Operations.Count == GenerateFields.GenerateOperations.Count ? "all" : string.Join(" ", field.Operations);
}
