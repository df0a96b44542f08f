namespace SdApi.Contract.Mappings;

/// <summary>Knobs of the spec-derived mock; the defaults are the values the spec's examples show.</summary>
public sealed record MockOptions
{
    /// <summary>Replaces <c>retry_after</c> in 429 answers (seconds); null keeps the spec example's value.</summary>
    public double? RetryAfterSeconds { get; init; }

    /// <summary>Replaces <c>eta</c> in processing answers (seconds); null keeps the spec example's value.</summary>
    public double? EtaSeconds { get; init; }

    /// <summary>Delay of the <see cref="MockKeys.Slow"/> answers.</summary>
    public TimeSpan SlowDelay { get; init; } = TimeSpan.FromSeconds(5);

    public static MockOptions Default { get; } = new();
}
