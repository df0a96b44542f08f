using SdApi.Engine.Models.BuiltIn;
using SdApi.Engine.Ort;

namespace SdApi.Engine.Pipeline;

/// <summary>
/// Calls the UNet for a batch: builds the <c>sample</c> and <c>timestep</c> tensors in the types and shapes the
/// export declares (float or int64 timestep; one per batch item unless the export fixes its length) and keeps the
/// prompt embeddings tensor for the whole loop.
/// </summary>
internal sealed class UnetRunner(OrtInferenceSession unet) : IDisposable
{
    private readonly OrtNodeInfo _timestep = unet.Inputs.First(i => i.Name == "timestep");
    private readonly Dictionary<int, OrtTensor> _contexts = [];
    private readonly Dictionary<(int, int, int), OrtTensor> _samples = [];
    private readonly Dictionary<int, OrtTensor> _timesteps = [];
    private float[] _context = [];
    private int _contextBatch;
    private int _sequence;
    private int _hidden;

    /// <summary>Time spent inside <c>OrtApi.Run</c> (for the benchmark's ORT share).</summary>
    public TimeSpan OrtTime { get; private set; }

    /// <summary>Sets the per-batch-item prompt embeddings [batch, sequence, hidden].</summary>
    public void SetContext(float[] context, int batch, int sequence, int hidden)
    {
        foreach (var t in _contexts.Values.Concat(_samples.Values)) t.Dispose();
        _contexts.Clear();
        _samples.Clear();
        (_context, _contextBatch, _sequence, _hidden) = (context, batch, sequence, hidden);
    }

    /// <summary>The <c>sample</c> input [batch, c, h, w] to fill before <see cref="Predict"/>: an ORT tensor kept per shape, so no step allocates one.</summary>
    public Span<float> SampleBuffer(int channels, int h, int w)
    {
        var key = (channels, h, w);
        if (_samples.TryGetValue(key, out var tensor)) return tensor.AsSpan<float>();
        tensor = OrtTensor.FromFloats(new float[_contextBatch * channels * h * w], _contextBatch, channels, h, w);
        _samples[key] = tensor;
        return tensor.AsSpan<float>();
    }

    /// <summary>
    /// Predicts noise for the filled <see cref="SampleBuffer"/>: ORT's output tensor, read in place (no copy); the caller
    /// disposes it. <paramref name="windowX"/>: the latent column where this (panorama) window starts.
    /// </summary>
    public OrtTensor Predict(int channels, int h, int w, double timestep, int windowX = 0)
    {
        var batch = _contextBatch;
        if (!_contexts.TryGetValue(batch, out var context))
            _contexts[batch] = context = OrtTensor.FromFloats(_context, batch, _sequence, _hidden);
        var sampleTensor = _samples[(channels, h, w)];
        var timestepTensor = TimestepTensor(timestep, batch);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var outputs = unet.Run([new("sample", sampleTensor), new("timestep", timestepTensor), new("encoder_hidden_states", context),
            .. BuiltInModelInputs(batch, channels, h, w, windowX)], ["out_sample"]);
        OrtTime += System.Diagnostics.Stopwatch.GetElapsedTime(started);
        return outputs[0];
    }

    /// <summary>The <c>timestep</c> input, kept per batch size and overwritten each step (no tensor per step).</summary>
    private OrtTensor TimestepTensor(double timestep, int batch)
    {
        var count = _timestep.Shape.Count == 0 ? 0 : _timestep.Shape[0] > 0 ? (int)_timestep.Shape[0] : batch;
        if (!_timesteps.TryGetValue(count, out var tensor))
        {
            long[] shape = _timestep.Shape.Count == 0 ? [] : [count];
            var n = Math.Max(count, 1);
            tensor = _timestep.ElementType switch
            {
                OrtElementType.Int64 => OrtTensor.FromInt64s(new long[n], shape),
                OrtElementType.Int32 => OrtTensor.FromInt32s(new int[n], shape),
                OrtElementType.Float => OrtTensor.FromFloats(new float[n], shape),
                _ => throw new EngineRequestException("model_id", $"The UNet's timestep input has type {_timestep.ElementType}; float32, int32 and int64 exports are supported."),
            };
            _timesteps[count] = tensor;
        }
        switch (tensor.ElementType)
        {
            case OrtElementType.Int64: tensor.AsSpan<long>().Fill((long)Math.Round(timestep)); break;
            case OrtElementType.Int32: tensor.AsSpan<int>().Fill((int)Math.Round(timestep)); break;
            default: tensor.AsSpan<float>().Fill((float)timestep); break;
        }
        return tensor;
    }

    // ---- inputs only the built-in oracle model declares (a diffusers export has none, and gets nothing extra) ----

    private readonly bool _takesSeed = unet.HasInput(OracleComposition.SeedInputName);
    private readonly bool _takesInitLatent = unet.HasInput(OracleUnet.InitLatentInputName) && unet.HasInput(OracleUnet.StrengthInputName);

    /// <summary>True for the built-in model: it takes the init latent and strength and aims at a target of its own.</summary>
    public bool TakesInitLatent => _takesInitLatent;
    private readonly Dictionary<(int Width, int X), OrtTensor> _initWindows = [];
    private OrtTensor? _seedTensor;
    private OrtTensor? _strengthTensor;
    private long[] _seeds = [];
    private float[][]? _initLatents;
    private int _initWidth;
    private float _strength = 1;

    /// <summary>
    /// The built-in model's view of each batch item: its sample seed (which composes the picture) and, for
    /// img2img/inpaint, the init latent [c, h, latentWidth] per batch item and the strength. Ignored by a UNet that
    /// does not declare these inputs.
    /// </summary>
    public void SetSampleConditions(long[] seeds, float[][]? initLatents = null, int latentWidth = 0, double strength = 1)
    {
        DisposeBuiltInInputs();
        (_seeds, _initLatents, _initWidth, _strength) = (seeds, initLatents, latentWidth, (float)strength);
    }

    private IEnumerable<KeyValuePair<string, OrtTensor>> BuiltInModelInputs(int batch, int channels, int h, int w, int windowX)
    {
        if (_takesSeed)
        {
            _seedTensor ??= OrtTensor.FromInt64s(_seeds.Length == batch ? _seeds : new long[batch], batch);
            yield return new(OracleComposition.SeedInputName, _seedTensor);
        }
        if (!_takesInitLatent) yield break;
        _strengthTensor ??= OrtTensor.FromFloats(Enumerable.Repeat(_initLatents is null ? 1f : _strength, batch).ToArray(), batch);
        yield return new(OracleUnet.StrengthInputName, _strengthTensor);
        // text2img: one broadcast zero pixel; img2img/inpaint: the window's columns of each batch item's init latent
        var key = _initLatents is null ? (0, 0) : (w, windowX);
        if (!_initWindows.TryGetValue(key, out var init))
        {
            if (_initLatents is null) init = OrtTensor.FromFloats(new float[channels], 1, channels, 1, 1);
            else
            {
                var values = new float[batch * channels * h * w];
                for (var b = 0; b < batch; b++)
                    for (var row = 0; row < channels * h; row++)
                        _initLatents[b].AsSpan(row * _initWidth + windowX, w).CopyTo(values.AsSpan((b * channels * h + row) * w, w));
                init = OrtTensor.FromFloats(values, batch, channels, h, w);
            }
            _initWindows[key] = init;
        }
        yield return new(OracleUnet.InitLatentInputName, init);
    }

    private void DisposeBuiltInInputs()
    {
        foreach (var t in _initWindows.Values) t.Dispose();
        _initWindows.Clear();
        _seedTensor?.Dispose();
        _strengthTensor?.Dispose();
        (_seedTensor, _strengthTensor) = (null, null);
    }

    public void Dispose()
    {
        DisposeBuiltInInputs();
        foreach (var t in _contexts.Values.Concat(_samples.Values).Concat(_timesteps.Values)) t.Dispose();
        _contexts.Clear();
        _samples.Clear();
        _timesteps.Clear();
    }
}
