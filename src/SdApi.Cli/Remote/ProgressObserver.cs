using SdApi.Bindings;

namespace SdApi.Cli.Remote;

/// <summary>Sits in the client's HttpClient and reports every outcome the API answers (the first call and each poll
/// that WaitForCompletionAsync makes), so the progress display can show status and eta without polling itself.</summary>
internal sealed class ProgressObserver(Action<Outcome> report) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) != true)
            return response;
        // Buffered content can be read again by the client's own reader.
        await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            report(Outcome.FromJson(bytes));
        }
        catch (System.Text.Json.JsonException)
        {
            // not an outcome; the client reports it
        }
        return response;
    }
}
