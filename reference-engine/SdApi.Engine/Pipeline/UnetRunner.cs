using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SdApi.Engine.Models.BuiltIn;
using SdApi.Engine.Ort;

namespace SdApi.Engine.Pipeline;

/// <summary>
/// Calls the UNet for a batch: builds the <c>sample</c> and <c>timestep</c> tensors in the types and shapes the
/// export declares (float or int64 timestep; one per batch item unless the export fixes its length) and keeps the
/// prompt embeddings tensor for the whole loop. ORT writes the prediction into an output tensor kept per shape.
/// </summary>
internal sealed class UnetRunner(ModelSession unet) : IDisposable
{
    private static readonly string[] InputNames = ["sample", "timestep", "encoder_hidden_states"];
    private static readonly string[] OutputNames = ["out_sample"];

    private readonly NodeMetadata _timestep = unet.Inputs["timestep"];
    private readonly Dictionary<int, OrtValue> _contexts = [];
    private readonly Dictionary<(int, int, int), OrtValue> _samples = [];
    private readonly Dictionary<(int, int, int), OrtValue> _predictions = [];
    private readonly Dictionary<int, OrtValue> _timesteps = [];
    private float[] _context = [];
    private int _contextBatch;
    private int _sequence;
    private int _hidden;

    /// <summary>Time spent inside ORT's <c>Run</c> (for the benchmark's ORT share).</summary>
    public TimeSpan OrtTime { get; private set; }

    /// <summary>Sets the per-batch-item prompt embeddings [batch, sequence, hidden].</summary>
    public void SetContext(float[] context, int batch, int sequence, int hidden)
    {
        foreach (var t in _contexts.Values.Concat(_samples.Values).Concat(_predictions.Values)) t.Dispose();
        _contexts.Clear();
        _samples.Clear();
        _predictions.Clear();
        (_context, _contextBatch, _sequence, _hidden) = (context, batch, sequence, hidden);
    }

    /// <summary>The <c>sample</c> input [batch, c, h, w] to fill before <see cref="Predict"/>: an ORT tensor kept per shape, so no step allocates one.</summary>
    public Span<float> SampleBuffer(int channels, int h, int w)
    {
        var key = (channels, h, w);
        if (!_samples.TryGetValue(key, out var tensor))
            _samples[key] = tensor = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, TensorElementType.Float, [_contextBatch, channels, h, w]);
        return tensor.GetTensorMutableDataAsSpan<float>();
    }

    /// <summary>
    /// Predicts noise for the filled <see cref="SampleBuffer"/> into an output tensor kept per shape (diffusers' UNet
    /// answers in the sample's shape), read in place: valid until the next call. <paramref name="windowX"/>: the latent
    /// column where this (panorama) window starts (the built-in model's init latent is cut to the window).
    /// </summary>
    public ReadOnlySpan<float> Predict(int channels, int h, int w, double timestep, int windowX = 0)
    {
        var batch = _contextBatch;
        if (!_contexts.TryGetValue(batch, out var context))
            _contexts[batch] = context = OrtValue.CreateTensorValueFromMemory(_context, [batch, _sequence, _hidden]);
        var key = (channels, h, w);
        var sampleTensor = _samples[key];
        if (!_predictions.TryGetValue(key, out var prediction))
            _predictions[key] = prediction = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, TensorElementType.Float, [batch, channels, h, w]);
        var timestepTensor = TimestepTensor(timestep, batch);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        if (_takesSeed || _takesInitLatent)
        {
            var extra = BuiltInModelInputs(batch, channels, h, w, windowX).ToList();
            unet.Run([.. InputNames, .. extra.Select(x => x.Key)], [sampleTensor, timestepTensor, context, .. extra.Select(x => x.Value)], OutputNames, [prediction]);
        }
        else unet.Run(InputNames, [sampleTensor, timestepTensor, context], OutputNames, [prediction]);
        OrtTime += System.Diagnostics.Stopwatch.GetElapsedTime(started);
        return prediction.GetTensorDataAsSpan<float>();
    }

    /// <summary>The <c>timestep</c> input, kept per batch size and overwritten each step (no tensor per step).</summary>
    private OrtValue TimestepTensor(double timestep, int batch)
    {
        var dims = _timestep.Dimensions;
        var count = dims.Length == 0 ? 0 : dims[0] > 0 ? dims[0] : batch;
        var type = _timestep.ElementDataType;
        if (!_timesteps.TryGetValue(count, out var tensor))
        {
            if (type is not (TensorElementType.Int64 or TensorElementType.Int32 or TensorElementType.Float))
                throw new EngineRequestException("model_id", $"The UNet's timestep input has type {type}; float32, int32 and int64 exports are supported.");
            long[] shape = dims.Length == 0 ? [] : [count];
            _timesteps[count] = tensor = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, type, shape);
        }
        switch (type)
        {
            case TensorElementType.Int64: tensor.GetTensorMutableDataAsSpan<long>().Fill((long)Math.Round(timestep)); break;
            case TensorElementType.Int32: tensor.GetTensorMutableDataAsSpan<int>().Fill((int)Math.Round(timestep)); break;
            default: tensor.GetTensorMutableDataAsSpan<float>().Fill((float)timestep); break;
        }
        return tensor;
    }

    // ---- inputs only the built-in oracle model declares (a diffusers export has none, and gets nothing extra) ----

    private readonly bool _takesSeed = unet.Inputs.ContainsKey(OracleComposition.SeedInputName);
    private readonly bool _takesInitLatent = unet.Inputs.ContainsKey(OracleUnet.InitLatentInputName) && unet.Inputs.ContainsKey(OracleUnet.StrengthInputName);

    /// <summary>True for the built-in model: it takes the init latent and strength and aims at a target of its own.</summary>
    public bool TakesInitLatent => _takesInitLatent;
    private readonly Dictionary<(int Width, int X), OrtValue> _initWindows = [];
    private OrtValue? _seedTensor;
    private OrtValue? _strengthTensor;
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

    private IEnumerable<KeyValuePair<string, OrtValue>> BuiltInModelInputs(int batch, int channels, int h, int w, int windowX)
    {
        if (_takesSeed)
        {
            _seedTensor ??= OrtValue.CreateTensorValueFromMemory(_seeds.Length == batch ? _seeds : new long[batch], [batch]);
            yield return new(OracleComposition.SeedInputName, _seedTensor);
        }
        if (!_takesInitLatent) yield break;
        _strengthTensor ??= OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat(_initLatents is null ? 1f : _strength, batch).ToArray(), [batch]);
        yield return new(OracleUnet.StrengthInputName, _strengthTensor);
        // text2img: one broadcast zero pixel; img2img/inpaint: the window's columns of each batch item's init latent
        var key = _initLatents is null ? (0, 0) : (w, windowX);
        if (!_initWindows.TryGetValue(key, out var init))
        {
            if (_initLatents is null) init = OrtValue.CreateTensorValueFromMemory(new float[channels], [1, channels, 1, 1]);
            else
            {
                var values = new float[batch * channels * h * w];
                for (var b = 0; b < batch; b++)
                    for (var row = 0; row < channels * h; row++)
                        _initLatents[b].AsSpan(row * _initWidth + windowX, w).CopyTo(values.AsSpan((b * channels * h + row) * w, w));
                init = OrtValue.CreateTensorValueFromMemory(values, [batch, channels, h, w]);
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
        foreach (var t in _contexts.Values.Concat(_samples.Values).Concat(_predictions.Values).Concat(_timesteps.Values)) t.Dispose();
        _contexts.Clear();
        _samples.Clear();
        _predictions.Clear();
        _timesteps.Clear();
    }
}
