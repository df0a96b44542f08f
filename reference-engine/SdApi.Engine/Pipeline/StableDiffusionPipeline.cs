using SdApi.Engine.Imaging;
using SdApi.Engine.Schedulers;

namespace SdApi.Engine.Pipeline;

/// <summary>What the pipeline produced before PNG encoding.</summary>
internal sealed record PipelineOutput(byte[][] Images, int Width, int Height, IReadOnlyList<string> Notes, TimeSpan OrtUnetTime,
    TimeSpan PromptEncoding, TimeSpan Denoising, TimeSpan Decoding);

/// <summary>
/// One generation on resolved components: prompt embeddings, initial latents (noise, or the encoded init image
/// noised to the strength's level), the scheduler loop (with inpaint blending, panorama windows, highres fix),
/// VAE decoding, inpaint compositing and upscaling.
/// </summary>
internal sealed class StableDiffusionPipeline(PipelineComponents components, GenerationRequest request, long seed, string prompt, PhaseClock phases)
{
    private readonly List<string> _notes = [];
    private int _stepsDone;
    private int _stepsTotal;
    private TimeSpan? _denoised;
    private long[] _unetSeeds = [];

    public PipelineOutput Run(IProgress<GenerationProgress>? progress, CancellationToken cancellationToken)
    {
        var n = request.Samples;
        var guided = request.GuidanceScale > 1;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var negative = request.NegativePrompt ?? "";
        var embeddings = PromptEncoder.Encode(components.TextEncoder, components.Tokenizer, guided ? [negative, prompt] : [prompt], request.ClipSkip, components.Embedding);
        if (!embeddings.ClipSkipApplied)
            _notes.Add($"clip_skip {request.ClipSkip} not applied: this text encoder export has no hidden_states outputs.");

        // [uncond x n, cond x n] to match the UNet batch the loop builds
        var context = new float[(guided ? 2 : 1) * n * embeddings.PerPrompt];
        for (var copy = 0; copy < (guided ? 2 : 1); copy++)
            for (var s = 0; s < n; s++)
                embeddings.Values.AsSpan(copy * embeddings.PerPrompt, embeddings.PerPrompt).CopyTo(context.AsSpan((copy * n + s) * embeddings.PerPrompt));
        using var unet = new UnetRunner(components.Unet);
        unet.SetContext(context, (guided ? 2 : 1) * n, embeddings.SequenceLength, embeddings.HiddenSize);
        // sample i's seed for both guidance halves (the built-in model composes its picture from it)
        _unetSeeds = [.. Enumerable.Range(0, guided ? 2 : 1).SelectMany(_ => Enumerable.Range(0, n).Select(s => seed + s))];
        unet.SetSampleConditions(_unetSeeds);

        if (SchedulerSelection.Note(SchedulerSelection.EffectiveName(request.Scheduler, components.Model.SchedulerConfigJson)) is { } schedulerNote)
            _notes.Add(schedulerNote);
        var promptEncoding = clock.Elapsed;
        phases.Mark("prompt encoding");
        var generators = Enumerable.Range(0, n).Select(s => new DeterministicRandom(unchecked((ulong)(seed + s)))).ToArray();
        var channels = components.Model.LatentChannels;
        void Report(string phase) => progress?.Report(new GenerationProgress(_stepsDone, _stepsTotal, phase));

        byte[][] images;
        int width, height;
        if (request.Mode == GenerationMode.Text2Img)
        {
            (width, height) = (request.Width, request.Height);
            var layout = Layout(n, channels, height / 8, width / 8);
            float[][] latents;
            if (request.HighresFix)
                latents = HighresFix(unet, layout, generators, Report, cancellationToken);
            else
            {
                var schedulers = CreateSchedulers(n);
                _stepsTotal = schedulers[0].Timesteps.Count;
                latents = InitialNoise(layout, schedulers, generators);
                phases.Mark("initial noise");
                latents = DenoisingLoop.Run(unet, layout, schedulers, generators, schedulers[0].Timesteps, latents, request.GuidanceScale,
                    null, step => { _stepsDone = step; Report("denoising"); }, cancellationToken);
            }
            _denoised = clock.Elapsed;
            phases.Mark(request.HighresFix ? "highres denoising" : "denoising");
            (images, width, height) = VaeCodec.Decode(components.VaeDecoder, Concat(latents), n, channels, layout.Height, layout.Width);
            phases.Mark("vae decode");
        }
        else
        {
            (images, width, height) = ImageToImage(unet, n, channels, generators, Report, cancellationToken);
            phases.Mark(request.Mode == GenerationMode.Inpaint ? "inpaint" : "img2img");
        }

        if (request.Upscale > 1)
        {
            var (w2, h2) = (width * request.Upscale, height * request.Upscale);
            images = [.. images.Select(img => ImageResize.Upscale(new RgbImage(width, height, 3, img), request.Upscale).Pixels)];
            (width, height) = (w2, h2);
            phases.Mark("upscale");
        }
        var total = clock.Elapsed;
        var denoised = _denoised ?? total;
        return new PipelineOutput(images, width, height, _notes, unet.OrtTime, promptEncoding, denoised - promptEncoding, total - denoised);
    }

    private LatentLayout Layout(int n, int channels, int h, int w) =>
        new(n, channels, h, w) { Windows = request.Panorama ? LatentLayout.PanoramaWindows(h, w) : [] };

    private Scheduler[] CreateSchedulers(int n)
    {
        var schedulers = new Scheduler[n];
        for (var s = 0; s < n; s++)
        {
            schedulers[s] = SchedulerSelection.Create(request, components.Model.SchedulerConfigJson);
            schedulers[s].SetTimesteps(request.Steps);
        }
        return schedulers;
    }

    private static float[][] InitialNoise(LatentLayout layout, Scheduler[] schedulers, DeterministicRandom[] generators)
    {
        var latents = new float[layout.Samples][];
        for (var s = 0; s < layout.Samples; s++)
        {
            latents[s] = generators[s].NextGaussian(layout.PerSample);
            System.Numerics.Tensors.TensorPrimitives.Multiply(latents[s], (float)schedulers[s].InitNoiseSigma, latents[s]);
        }
        return latents;
    }

    /// <summary>Highres fix: denoise at half size, upscale the latents 2x (nearest), then re-noise to strength 0.5 and denoise at full size.</summary>
    private float[][] HighresFix(UnetRunner unet, LatentLayout full, DeterministicRandom[] generators, Action<string> report, CancellationToken ct)
    {
        const double secondPassStrength = 0.5;
        var half = Layout(full.Samples, full.Channels, Math.Max(1, (full.Height + 1) / 2), Math.Max(1, (full.Width + 1) / 2));
        var first = CreateSchedulers(full.Samples);
        var second = CreateSchedulers(full.Samples);
        var secondSteps = second.Select(s => s.TimestepsForStrength(secondPassStrength)).ToArray();
        _stepsTotal = first[0].Timesteps.Count + secondSteps[0].Count;

        var latents = InitialNoise(half, first, generators);
        latents = DenoisingLoop.Run(unet, half, first, generators, first[0].Timesteps, latents, request.GuidanceScale,
            null, step => { _stepsDone = step; report("highres first pass"); }, ct);
        var offset = _stepsDone;
        for (var s = 0; s < full.Samples; s++)
        {
            var upscaled = UpscaleLatent(latents[s], half, full);
            latents[s] = secondSteps[s].Count == 0 ? upscaled : second[s].AddNoise(upscaled, generators[s].NextGaussian(full.PerSample), secondSteps[s][0]);
        }
        return DenoisingLoop.Run(unet, full, second, generators, secondSteps[0], latents, request.GuidanceScale,
            null, step => { _stepsDone = offset + step; report("highres second pass"); }, ct);
    }

    private static float[] UpscaleLatent(float[] latent, LatentLayout from, LatentLayout to)
    {
        var result = new float[to.PerSample];
        for (var c = 0; c < to.Channels; c++)
            for (var y = 0; y < to.Height; y++)
                for (var x = 0; x < to.Width; x++)
                    result[(c * to.Height + y) * to.Width + x] =
                        latent[(c * from.Height + y * from.Height / to.Height) * from.Width + x * from.Width / to.Width];
        return result;
    }

    /// <summary>img2img and inpaint: encode, noise to the level the strength implies, denoise; inpaint keeps unmasked pixels exactly.</summary>
    private (byte[][] Images, int Width, int Height) ImageToImage(UnetRunner unet, int n, int channels, DeterministicRandom[] generators, Action<string> report, CancellationToken ct)
    {
        if (request.InitImage is not { Length: > 0 })
            throw new EngineRequestException("init_image", $"{request.Mode} needs an init_image.");
        var encoder = components.VaeEncoder
            ?? throw new EngineRequestException("model_id", $"Model '{components.Model.Id}' has no vae_encoder, so it cannot run {request.Mode}.");
        var (initRgb, initW, initH) = DecodeImage(request.InitImage, "init_image");
        var (width, height) = ImageOps.WorkingSize(initW, initH);
        initRgb = ImageOps.Resize(initRgb, initW, initH, width, height);

        bool[]? mask = null;
        float[]? latentMask = null;
        if (request.Mode == GenerationMode.Inpaint)
        {
            if (request.MaskImage is not { Length: > 0 })
                throw new EngineRequestException("mask_image", "Inpaint needs a mask_image.");
            var (maskRgb, maskW, maskH) = DecodeImage(request.MaskImage, "mask_image");
            mask = ImageOps.Binarize(ImageOps.Resize(maskRgb, maskW, maskH, width, height));
            latentMask = ImageOps.LatentMask(mask, width, height);
        }

        var initLatent = VaeCodec.Encode(encoder, initRgb, width, height);
        var layout = Layout(n, channels, height / 8, width / 8);
        // the built-in model carries the init image towards the prompt's scene by the strength (a real model does this through the noise level)
        unet.SetSampleConditions(_unetSeeds, [.. _unetSeeds.Select(_ => initLatent)], layout.Width, request.Strength);
        var schedulers = CreateSchedulers(n);
        // strength 0 runs no step at all (PNDM's schedule would otherwise keep one step): the init image's VAE round trip
        var timesteps = schedulers.Select(s => request.Strength > 0 ? s.TimestepsForStrength(request.Strength) : []).ToArray();
        _stepsTotal = timesteps[0].Count;
        var noise = generators.Select(g => g.NextGaussian(layout.PerSample)).ToArray();
        var starts = unet.TakesInitLatent && timesteps[0].Count > 0 ? BuiltInModelTargets(unet, layout, initLatent) : null;
        var latents = new float[n][];
        for (var s = 0; s < n; s++)
            latents[s] = timesteps[s].Count == 0 ? (float[])initLatent.Clone() : schedulers[s].AddNoise(starts?[s] ?? initLatent, noise[s], timesteps[s][0]);

        Action<int, float[][]>? blend = null;
        if (latentMask is not null)
        {
            var plane = layout.Height * layout.Width;
            blend = (step, current) =>
            {
                for (var s = 0; s < n; s++)
                {
                    var known = step + 1 < timesteps[s].Count ? schedulers[s].AddNoise(initLatent, noise[s], timesteps[s][step + 1]) : initLatent;
                    for (var i = 0; i < current[s].Length; i++)
                    {
                        var m = latentMask[i % plane];
                        current[s][i] = m * current[s][i] + (1 - m) * known[i];
                    }
                }
            };
        }
        latents = DenoisingLoop.Run(unet, layout, schedulers, generators, timesteps[0], latents, request.GuidanceScale,
            blend, step => { _stepsDone = step; report("denoising"); }, ct);
        var (images, outW, outH) = VaeCodec.Decode(components.VaeDecoder, Concat(latents), n, channels, layout.Height, layout.Width);
        if (mask is not null && outW == width && outH == height)
            foreach (var image in images)
                for (var i = 0; i < mask.Length; i++)
                    if (!mask[i])
                        for (var c = 0; c < 3; c++) image[i * 3 + c] = initRgb[i * 3 + c];
        return (images, outW, outH);
    }

    /// <summary>
    /// The built-in model only: the clean latent it aims at for each sample (the init latent carried towards the scene),
    /// read from one guided evaluation, x0 = (x - sqrt(1-abar)·eps) / sqrt(abar) at timestep 0. img2img then noises
    /// this target instead of the init latent. With an exact model, noising the init image would put
    /// (init - target)/sigma into the noise every step sees, which multistep schedulers (PNDM, LMS) extrapolate into
    /// visible patterns; a real model has no exact target, so this path is not taken for it.
    /// </summary>
    private float[][] BuiltInModelTargets(UnetRunner unet, LatentLayout layout, float[] initLatent)
    {
        var sigma = Models.BuiltIn.OracleNoiseSchedule.Sigma(0);
        var alphaBar = 1 / (1 + sigma * sigma);
        float a = (float)Math.Sqrt(alphaBar), b = (float)Math.Sqrt(1 - alphaBar);
        var inputs = Enumerable.Range(0, layout.Samples).Select(_ => initLatent).ToArray();
        var eps = DenoisingLoop.PredictNoise(unet, layout, inputs, 0, request.GuidanceScale > 1, request.GuidanceScale);
        var targets = new float[layout.Samples][];
        for (var s = 0; s < layout.Samples; s++)
        {
            targets[s] = new float[layout.PerSample];
            for (var i = 0; i < layout.PerSample; i++) targets[s][i] = (initLatent[i] - b * eps[s][i]) / a;
        }
        return targets;
    }

    private static (byte[] Rgb, int Width, int Height) DecodeImage(byte[] bytes, string field)
    {
        try
        {
            var image = ImageDecoder.Decode(bytes).ToRgb();
            return (image.Pixels, image.Width, image.Height);
        }
        catch (ImageDecodeException e)
        {
            throw new EngineRequestException(field, $"{field} could not be decoded as PNG or JPEG: {e.Message}");
        }
    }

    private static float[] Concat(float[][] parts)
    {
        var result = new float[parts.Sum(p => p.Length)];
        var offset = 0;
        foreach (var p in parts) { p.CopyTo(result, offset); offset += p.Length; }
        return result;
    }
}
