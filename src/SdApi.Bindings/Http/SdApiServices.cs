using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SdApi.Bindings.Http;

/// <summary>DI plumbing behind the generated <c>services.AddSdApiClient(...)</c>: options, a named HttpClient from
/// IHttpClientFactory, and the client itself (transient; the factory pools handlers).</summary>
public static class SdApiServices
{
    public const string HttpClientName = "SdApi";

    public static IHttpClientBuilder AddClient<TClient>(IServiceCollection services, Action<SdApiClientOptions>? configure, Func<SdApiPipeline, TClient> create, Uri? defaultBaseAddress = null)
        where TClient : class
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(create);
        var options = services.AddOptions<SdApiClientOptions>();
        if (configure is not null) options.Configure(configure);
        var builder = services.AddHttpClient(HttpClientName);
        services.TryAddTransient(sp => create(new SdApiPipeline(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
            sp.GetRequiredService<IOptions<SdApiClientOptions>>().Value,
            sp.GetService<ILoggerFactory>()?.CreateLogger("SdApi.Client"),
            sp.GetService<TimeProvider>(),
            defaultBaseAddress)));
        return builder;
    }
}
