using System.Diagnostics;
using System.Runtime.InteropServices;

namespace SdApi.Engine.Ort;

/// <summary>
/// Process-wide time spent inside ONNX Runtime's <c>Run</c> (all <see cref="ModelSession"/>s), for benchmarks that split engine time from ORT
/// time: wall clock, and the calling thread's CPU time (which is all of ORT's CPU time when a session runs with one
/// intra-op thread, because ORT then computes on the caller's thread; robust on a busy machine).
/// </summary>
public static partial class OrtRunClock
{
    private static long _ticks;
    private static long _cpuNanoseconds;

    public static TimeSpan Elapsed => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _ticks));
    public static TimeSpan CpuTime => TimeSpan.FromTicks(Interlocked.Read(ref _cpuNanoseconds) / 100);

    public static void Reset()
    {
        Interlocked.Exchange(ref _ticks, 0);
        Interlocked.Exchange(ref _cpuNanoseconds, 0);
    }

    internal static void Add(long ticks, long cpuNanoseconds)
    {
        Interlocked.Add(ref _ticks, ticks);
        Interlocked.Add(ref _cpuNanoseconds, cpuNanoseconds);
    }

    /// <summary>The current thread's CPU time in nanoseconds (Linux <c>CLOCK_THREAD_CPUTIME_ID</c>; 0 elsewhere).</summary>
    public static long ThreadCpuNanoseconds()
    {
        if (!OperatingSystem.IsLinux()) return 0;
        return ClockGetTime(3 /* CLOCK_THREAD_CPUTIME_ID */, out var ts) == 0 ? ts.Seconds * 1_000_000_000L + ts.Nanoseconds : 0;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);
}
