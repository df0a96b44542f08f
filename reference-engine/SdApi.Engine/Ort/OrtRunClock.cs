using System.Diagnostics;

namespace SdApi.Engine.Ort;

/// <summary>Process-wide time spent inside <c>OrtApi::Run</c> (all sessions), for benchmarks that split engine time from ORT time.</summary>
public static class OrtRunClock
{
    private static long _ticks;

    public static TimeSpan Elapsed => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _ticks));

    public static void Reset() => Interlocked.Exchange(ref _ticks, 0);

    internal static void Add(long ticks) => Interlocked.Add(ref _ticks, ticks);
}
