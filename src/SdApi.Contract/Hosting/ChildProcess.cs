using System.Diagnostics;
using System.Text;

namespace SdApi.Contract.Hosting;

/// <summary>A child process whose stdout/stderr are kept in memory (for attaching to a failing test) and which is
/// killed with its process tree on dispose.</summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly Lock _gate = new();

    public ChildProcess(string fileName, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        _process = new Process { StartInfo = info, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        CommandLine = fileName + " " + string.Join(' ', info.ArgumentList);
    }

    public string CommandLine { get; }

    public bool HasExited => _process.HasExited;

    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>Characters logged so far; pass it to <see cref="LogSince"/> to get what a single test caused.</summary>
    public int LogLength
    {
        get { lock (_gate) return _log.Length; }
    }

    public string Log
    {
        get { lock (_gate) return _log.ToString(); }
    }

    public string LogSince(int mark)
    {
        lock (_gate) return mark >= _log.Length ? "" : _log.ToString(mark, _log.Length - mark);
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_gate) _log.AppendLine(line);
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        _process.Dispose();
    }
}
