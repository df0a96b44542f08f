using System.Diagnostics;
using System.Text;

namespace SdApi.Packaging.Tests;

/// <summary>Runs `dotnet ...` (or any program) to completion with a time limit, capturing the output; the process
/// tree is killed when the limit passes.</summary>
internal static class DotnetProcess
{
    public static async Task<(int Exit, string Output)> RunAsync(string directory, IReadOnlyDictionary<string, string>? environment,
        TimeSpan limit, string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} ran over {limit.TotalSeconds:0} s:\n{Tail(output)}");
        }
        process.WaitForExit(); // drain the output events
        return (process.ExitCode, output.ToString());
    }

    public static async Task<string> SucceedAsync(string directory, IReadOnlyDictionary<string, string>? environment, TimeSpan limit,
        string file, params string[] args)
    {
        var (exit, output) = await RunAsync(directory, environment, limit, file, args);
        if (exit != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {exit}:\n{Tail(output)}");
        return output;
    }

    private static string Tail(object text)
    {
        var value = text.ToString() ?? "";
        return value.Length <= 6000 ? value : value[^6000..];
    }
}
