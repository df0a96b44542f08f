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

    /// <summary>Predicts noise for the filled <see cref="SampleBuffer"/>: ORT's output tensor, read in place (no copy); the caller disposes it.</summary>
    public OrtTensor Predict(int channels, int h, int w, double timestep)
    {
        var batch = _contextBatch;
        if (!_contexts.TryGetValue(batch, out var context))
            _contexts[batch] = context = OrtTensor.FromFloats(_context, batch, _sequence, _hidden);
        var sampleTensor = _samples[(channels, h, w)];
        var timestepTensor = TimestepTensor(timestep, batch);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var outputs = unet.Run([new("sample", sampleTensor), new("timestep", timestepTensor), new("encoder_hidden_states", context)], ["out_sample"]);
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

    public void Dispose()
    {
        foreach (var t in _contexts.Values.Concat(_samples.Values).Concat(_timesteps.Values)) t.Dispose();
        _contexts.Clear();
        _samples.Clear();
        _timesteps.Clear();
    }
}
