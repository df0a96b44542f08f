namespace SdApi.Cli.Infrastructure;

/// <summary>An expected failure of a verb: <see cref="CliRunner"/> prints the message as one line on stderr and
/// exits with <see cref="ExitCode"/>.</summary>
internal sealed class CliException : Exception
{
    public CliException(string message, int exitCode = ExitCodes.Failure) : base(message) => ExitCode = exitCode;

    public CliException(string message, Exception inner, int exitCode = ExitCodes.Failure) : base(message, inner) => ExitCode = exitCode;

    public CliException() : this("sdapi failed.") { }

    public CliException(string message, Exception inner) : this(message, inner, ExitCodes.Failure) { }

    public int ExitCode { get; }
}
