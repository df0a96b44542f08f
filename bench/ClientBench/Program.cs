using BenchmarkDotNet.Running;
using ClientBench;

// dotnet run -c Release --project bench/ClientBench [-- write-results]
//   runs the client round trip (BenchmarkDotNet) and the generator cold run; write-results rewrites the
//   "Client and generator" section of bench/RESULTS.md from this run.
if (args.Contains("breakdown"))
{
    Breakdown.Run();
    return;
}
if (args.Contains("generator-child"))
{
    GeneratorColdRun.Child();
    return;
}
var write = args.Contains("write-results");
var client = BenchmarkRunner.Run<ClientRoundTripBenchmarks>();
var cold = GeneratorColdRun.Measure(runs: 5);
if (write) ResultsWriter.Write(Path.Combine(Payloads.Repo, "bench", "RESULTS.md"), client, cold);
