using System.Diagnostics;
using SdApi.Bindings;

namespace ClientBench;

/// <summary>`breakdown`: a rough per-step timing of the SdApi round trip (Stopwatch loops), to see where time goes.</summary>
internal static class Breakdown
{
    public static void Run()
    {
        var bench = new ClientRoundTripBenchmarks();
        bench.Setup();
        var request = new V6Text2ImgRequest
        {
            Key = "bench-key", ModelId = "midjourney", Prompt = "ultra realistic close up portrait", NegativePrompt = "blurry", Width = 512, Height = 512,
            Samples = 1, NumInferenceSteps = 20, SafetyChecker = false, EnhancePrompt = true, GuidanceScale = 7.5, Scheduler = "UniPCMultistepScheduler",
        };
        Measure("validate", () => request.Validate().IsValid ? 1 : 0);
        Measure("serialize", () => request.ToJsonUtf8().Length);
        Measure("parse answer", () => Outcome.FromJson(Payloads.SuccessResponse).IsTerminal ? 1 : 0);
        Measure("http floor", () => bench.HttpFloor().GetAwaiter().GetResult());
        Measure("sdapi round trip", () => bench.SdApi().GetAwaiter().GetResult());
        Measure("stj round trip", () => bench.HandWrittenStj().GetAwaiter().GetResult());
        Measure("nswag round trip", () => bench.NSwag().GetAwaiter().GetResult());
    }

    private static void Measure(string name, Func<int> action)
    {
        for (var i = 0; i < 20_000; i++) action();
        var best = double.MaxValue;
        for (var round = 0; round < 5; round++)
        {
            var watch = Stopwatch.StartNew();
            const int n = 50_000;
            for (var i = 0; i < n; i++) action();
            best = Math.Min(best, watch.Elapsed.TotalMicroseconds / n);
        }
        Console.WriteLine($"{name,-20} {best,8:F2} us (best of 5)");
    }
}
