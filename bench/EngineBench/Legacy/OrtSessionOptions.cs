// Before: the hand-written ORT C-API binding the engine used until Microsoft.ML.OnnxRuntime (commit c168fe7), kept only
// so EngineBench measures it against the managed API in the same run, over the same native library. Not used elsewhere.
using System.Text;

namespace EngineBench.Legacy;

/// <summary>
/// <c>OrtSessionOptions</c>: thread count, optimisation level and initializer overrides (<c>AddInitializer</c>,
/// slot 150). Overriding tensors are kept alive by these options, which must outlive the session created from them.
/// </summary>
internal sealed unsafe class OrtSessionOptions : IDisposable
{
    private readonly OrtSessionOptionsHandle _options;
    private readonly List<OrtTensor> _initializers = [];

    public OrtSessionOptions(int intraOpThreads = 0, OrtOptimizationLevel level = OrtOptimizationLevel.All)
    {
        nint options;
        OrtApi.Check(OrtApi.CreateSessionOptions(&options));
        _options = new OrtSessionOptionsHandle(options);
        OrtApi.Check(OrtApi.SetIntraOpNumThreads(options, intraOpThreads));
        OrtApi.Check(OrtApi.SetInterOpNumThreads(options, 1));
        OrtApi.Check(OrtApi.SetSessionGraphOptimizationLevel(options, (int)level));
    }

    internal nint Pointer => _options.Pointer;

    /// <summary>Replaces the model's initializer <paramref name="name"/> with <paramref name="value"/> (ownership passes to these options); the value must be <see cref="OrtTensor.FromFloatsUserOwned"/>.</summary>
    public void AddInitializer(string name, OrtTensor value)
    {
        var utf8 = Encoding.UTF8.GetBytes(name + "\0");
        fixed (byte* n = utf8)
            OrtApi.Check(OrtApi.AddInitializer(_options.Pointer, n, value.Pointer));
        _initializers.Add(value);
    }

    public void Dispose()
    {
        _options.Dispose();
        foreach (var tensor in _initializers) tensor.Dispose();
        _initializers.Clear();
    }
}
