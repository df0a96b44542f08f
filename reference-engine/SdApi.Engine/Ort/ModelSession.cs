using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;

namespace SdApi.Engine.Ort;

/// <summary>How sessions are created: ORT intra-op threads (0 = ORT's default), graph optimisation level, and whether
/// ORT may record usage telemetry (off unless allowed; the setting is process-wide, the last session opened sets it).</summary>
public sealed record SessionSettings(int IntraOpThreads, GraphOptimizationLevel OptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, bool AllowTelemetry = false)
{
    /// <summary>Options for one session: the given intra-op threads, one inter-op thread (the graphs run sequentially).</summary>
    public SessionOptions CreateOptions() => new()
    {
        IntraOpNumThreads = IntraOpThreads,
        InterOpNumThreads = 1,
        GraphOptimizationLevel = OptimizationLevel,
    };
}

/// <summary>
/// An ORT <see cref="InferenceSession"/> with what has to live as long as it: its <see cref="SessionOptions"/> and the
/// <see cref="OrtValue"/>s given to <see cref="SessionOptions.AddInitializer"/> (ORT reads their buffers, which the
/// caller owns, for the session's whole life). Every run is timed into <see cref="OrtRunClock"/>.
/// </summary>
public sealed class ModelSession : IDisposable
{
    private static readonly Lock TelemetryLock = new();
    private static bool? _telemetryAllowed;

    private readonly SessionOptions _options;
    private readonly OrtValue[] _initializers;
    private readonly RunOptions _runOptions = new();

    private ModelSession(Func<SessionOptions, InferenceSession> open, SessionSettings settings, IReadOnlyDictionary<string, OrtValue>? initializers)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ApplyTelemetry(settings.AllowTelemetry);
        _initializers = initializers is null ? [] : [.. initializers.Values];
        _options = settings.CreateOptions();
        try
        {
            foreach (var (name, value) in initializers ?? new Dictionary<string, OrtValue>())
                _options.AddInitializer(name, value);
            Session = open(_options);
        }
        catch
        {
            Release();
            throw;
        }
    }

    /// <summary>The ORT session (its <see cref="InferenceSession.InputMetadata"/>, <see cref="InferenceSession.InputNames"/> in declaration order, ...).</summary>
    public InferenceSession Session { get; } = null!;

    public IReadOnlyDictionary<string, NodeMetadata> Inputs => Session.InputMetadata;
    public IReadOnlyDictionary<string, NodeMetadata> Outputs => Session.OutputMetadata;

    /// <summary>Opens a model file; <paramref name="initializers"/> replace the file's initializers of the same name
    /// (LoRA merges, textual-inversion tables); the session takes ownership of them.</summary>
    public static ModelSession Open(string modelPath, SessionSettings settings, IReadOnlyDictionary<string, OrtValue>? initializers = null) =>
        new(options => new InferenceSession(modelPath, options), settings, initializers);

    /// <summary>Opens a model held in memory (see <see cref="Open(string, SessionSettings, IReadOnlyDictionary{string, OrtValue}?)"/>).</summary>
    public static ModelSession Open(byte[] model, SessionSettings settings, IReadOnlyDictionary<string, OrtValue>? initializers = null) =>
        new(options => new InferenceSession(model, options), settings, initializers);

    /// <summary>Runs the model; ORT allocates the outputs, which the caller disposes.</summary>
    public IDisposableReadOnlyCollection<OrtValue> Run(IReadOnlyCollection<string> inputNames, IReadOnlyCollection<OrtValue> inputs, IReadOnlyCollection<string> outputNames)
    {
        var (started, cpuStarted) = (Stopwatch.GetTimestamp(), OrtRunClock.ThreadCpuNanoseconds());
        try
        {
            return Session.Run(_runOptions, inputNames, inputs, outputNames);
        }
        finally
        {
            OrtRunClock.Add(Stopwatch.GetTimestamp() - started, OrtRunClock.ThreadCpuNanoseconds() - cpuStarted);
        }
    }

    /// <summary>Runs the model into caller-owned <paramref name="outputs"/> (their shapes must be the model's output shapes).</summary>
    public void Run(IReadOnlyCollection<string> inputNames, IReadOnlyCollection<OrtValue> inputs, IReadOnlyCollection<string> outputNames, IReadOnlyCollection<OrtValue> outputs)
    {
        var (started, cpuStarted) = (Stopwatch.GetTimestamp(), OrtRunClock.ThreadCpuNanoseconds());
        try
        {
            Session.Run(_runOptions, inputNames, inputs, outputNames, outputs);
        }
        finally
        {
            OrtRunClock.Add(Stopwatch.GetTimestamp() - started, OrtRunClock.ThreadCpuNanoseconds() - cpuStarted);
        }
    }

    /// <summary>ORT records usage telemetry unless told not to; it is switched on the process-wide environment.</summary>
    private static void ApplyTelemetry(bool allow)
    {
        lock (TelemetryLock)
        {
            if (_telemetryAllowed == allow) return;
            if (allow) OrtEnv.Instance().EnableTelemetryEvents();
            else OrtEnv.Instance().DisableTelemetryEvents();
            _telemetryAllowed = allow;
        }
    }

    private void Release()
    {
        _options.Dispose();
        _runOptions.Dispose();
        foreach (var value in _initializers) value.Dispose();
    }

    public void Dispose()
    {
        Session?.Dispose();
        Release(); // after the session: it reads the initializers' buffers until it is gone
    }
}
