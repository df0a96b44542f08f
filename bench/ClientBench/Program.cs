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
if (args.Contains("check"))
{
    // Every timed client reads the answer (Setup throws otherwise), and the findings as this build produces them.
    new ClientRoundTripBenchmarks().Setup();
    foreach (var finding in ClientRoundTripBenchmarks.Findings()) Console.WriteLine(finding);
    return;
}
var write = args.Contains("write-results");
var findings = ClientRoundTripBenchmarks.Findings();
var client = BenchmarkRunner.Run<ClientRoundTripBenchmarks>();
var cold = GeneratorColdRun.Measure(runs: 5);
if (write) ResultsWriter.Write(Path.Combine(Payloads.Repo, "bench", "RESULTS.md"), client, cold, findings);
