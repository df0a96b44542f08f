using System.Diagnostics;
using SdApi.Engine.Ort;

namespace SdApi.Engine.Pipeline;

/// <summary>One phase of a generation: wall clock, the generating thread's CPU time, and the part of that CPU time spent inside ORT.</summary>
/// <remarks><see cref="OrtCpu"/> reads the process-wide <see cref="OrtRunClock"/>, so it is exact only while one generation runs
/// at a time and ORT computes on the calling thread (one intra-op thread), as in the benchmark.</remarks>
public sealed record GenerationPhase(string Name, TimeSpan Wall, TimeSpan ThreadCpu, TimeSpan OrtCpu)
{
    /// <summary>CPU time the engine itself spent (outside ORT).</summary>
    public TimeSpan EngineCpu => ThreadCpu - OrtCpu;
}

/// <summary>Splits a generation into named phases; each <see cref="Mark"/> closes the phase that ran since the previous one.</summary>
internal sealed class PhaseClock
{
    private readonly List<GenerationPhase> _phases = [];
    private long _wall = Stopwatch.GetTimestamp();
    private long _cpu = OrtRunClock.ThreadCpuNanoseconds();
    private TimeSpan _ort = OrtRunClock.CpuTime;

    public IReadOnlyList<GenerationPhase> Phases => _phases;

    public void Mark(string phase)
    {
        var (wall, cpu, ort) = (Stopwatch.GetTimestamp(), OrtRunClock.ThreadCpuNanoseconds(), OrtRunClock.CpuTime);
        _phases.Add(new GenerationPhase(phase, Stopwatch.GetElapsedTime(_wall, wall), TimeSpan.FromTicks((cpu - _cpu) / 100), ort - _ort));
        (_wall, _cpu, _ort) = (wall, cpu, ort);
    }
}
