using System.Collections.Concurrent;

namespace SdApi.Engine.Pipeline;

/// <summary>
/// Reuses the decoded-pixel buffers (786 KB for 512x512, a large-object-heap array) from one generation to the next:
/// a fresh one per image cost about 0.35 ms of page faults and gen-2 collections, twice the conversion itself. Exact
/// lengths (images are sized by their array), a few per length, process-wide. A buffer goes back only once nothing
/// refers to it: after its PNG is written (results keep the PNG and decode pixels on demand).
/// </summary>
internal static class PixelBufferPool
{
    private const int PerLength = 8;
    private static readonly ConcurrentDictionary<int, ConcurrentBag<byte[]>> Free = new();

    public static byte[] Rent(int length) =>
        Free.TryGetValue(length, out var bag) && bag.TryTake(out var buffer) ? buffer : GC.AllocateUninitializedArray<byte>(length);

    public static void Return(byte[] buffer)
    {
        var bag = Free.GetOrAdd(buffer.Length, _ => []);
        if (bag.Count < PerLength) bag.Add(buffer);
    }
}
