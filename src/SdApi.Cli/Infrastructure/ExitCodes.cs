namespace SdApi.Cli.Infrastructure;

/// <summary>Exit codes shared by every verb.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The verb ran and the answer is "no": a failed job, a breaking diff, a failed verification.</summary>
    public const int Failure = 1;

    /// <summary>The input cannot be used: bad arguments, an unreadable file.</summary>
    public const int BadInput = 2;

    /// <summary>A fault of sdapi itself (a bug): neither a verdict (1) nor bad input (2).</summary>
    public const int InternalError = 3;

    /// <summary>Interrupted with Ctrl+C.</summary>
    public const int Cancelled = 130;
}
