using System.ComponentModel;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SdApi.Bindings.Http;

/// <summary>Traces and metrics of the client, on the BCL's <see cref="ActivitySource"/> and <see cref="Meter"/>, so
/// OpenTelemetry picks them up with <c>AddSource("SdApi.Client")</c> / <c>AddMeter("SdApi.Client")</c> and no extra
/// package. One activity per operation call (retries are events on it). Tags carry operation ids, HTTP statuses and
/// outcome statuses only: never a body field, so never the key.</summary>
public static class SdApiTelemetry
{
    /// <summary>The name of both the activity source and the meter.</summary>
    public const string Name = "SdApi.Client";

    internal static readonly ActivitySource Source = new(Name, typeof(SdApiTelemetry).Assembly.GetName().Version?.ToString());

    internal static readonly Meter Meter = new(Name, typeof(SdApiTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>Operation calls, by operation and outcome status (success, processing, error, failed, or the failure).</summary>
    internal static readonly Counter<long> Requests = Meter.CreateCounter<long>("sdapi.client.requests", "{call}", "Operation calls by outcome status.");

    /// <summary>Repeated HTTP attempts, by operation and reason (HTTP status or failure kind).</summary>
    internal static readonly Counter<long> Retries = Meter.CreateCounter<long>("sdapi.client.retries", "{retry}", "HTTP attempts repeated after a retryable failure.");

    /// <summary>fetch calls made while waiting for a job.</summary>
    internal static readonly Counter<long> Polls = Meter.CreateCounter<long>("sdapi.client.polls", "{poll}", "fetch calls made while waiting for a job.");

    /// <summary>Call duration including retries, by operation and outcome status.</summary>
    internal static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("sdapi.client.duration", "s", "Operation call duration including retries.");

    internal const string OperationTag = "sdapi.operation";
    internal const string OutcomeTag = "sdapi.outcome";
    internal const string ReasonTag = "sdapi.retry.reason";
    internal const string StatusCodeTag = "http.response.status_code";
    internal const string ServerTag = "server.address";
}

/// <summary>Implemented by the generated outcome union so the runtime can name an outcome in traces and metrics.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface ISdApiOutcome
{
    /// <summary>The wire value of <c>status</c> (success, processing, error, failed).</summary>
    string OutcomeStatus { get; }
}
