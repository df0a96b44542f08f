using System.ComponentModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SdApi.Bindings.Http;

/// <summary>Creates the clients registered with <c>AddSdApiClient(name, ...)</c>, each with its own options
/// (<see cref="IOptionsMonitor{TOptions}"/> by name) and its own HttpClient from IHttpClientFactory.</summary>
public interface ISdApiClientFactory<out TClient>
    where TClient : class
{
    /// <summary>The client registered under <paramref name="name"/> (<see cref="Options.DefaultName"/>, "", for the
    /// unnamed one); throws <see cref="InvalidOperationException"/> for a name nobody registered.</summary>
    TClient CreateClient(string name);
}

/// <summary>DI plumbing behind the generated <c>services.AddSdApiClient(...)</c>: named options, a named HttpClient from
/// IHttpClientFactory per client name, the factory, and the unnamed client (transient; the factory pools handlers).
/// Public only because generated code in other assemblies calls it.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class SdApiServices
{
    /// <summary>The IHttpClientFactory name of the unnamed client; a named client uses <c>SdApi:</c> + its name.</summary>
    public const string HttpClientName = "SdApi";

    public static string HttpClientNameFor(string name) => string.IsNullOrEmpty(name) ? HttpClientName : HttpClientName + ":" + name;

    public static IHttpClientBuilder AddClient<TClient>(IServiceCollection services, Action<SdApiClientOptions>? configure, Func<SdApiPipeline, TClient> create, Uri? defaultBaseAddress = null)
        where TClient : class
        => AddClient(services, Options.DefaultName, configure, create, defaultBaseAddress);

    public static IHttpClientBuilder AddClient<TClient>(IServiceCollection services, string name, Action<SdApiClientOptions>? configure, Func<SdApiPipeline, TClient> create, Uri? defaultBaseAddress = null)
        where TClient : class
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(create);
        var options = services.AddOptions<SdApiClientOptions>(name);
        if (configure is not null) options.Configure(configure);
        services.Configure<Registry<TClient>>(r => r.Names.Add(name));
        services.TryAddSingleton<ISdApiClientFactory<TClient>>(sp => new Factory<TClient>(sp, create, defaultBaseAddress));
        services.TryAddTransient(sp => sp.GetRequiredService<ISdApiClientFactory<TClient>>().CreateClient(Options.DefaultName));
        return services.AddHttpClient(HttpClientNameFor(name));
    }

    private sealed class Registry<TClient>
    {
        public HashSet<string> Names { get; } = new(StringComparer.Ordinal);
    }

    private sealed class Factory<TClient>(IServiceProvider services, Func<SdApiPipeline, TClient> create, Uri? defaultBaseAddress) : ISdApiClientFactory<TClient>
        where TClient : class
    {
        public TClient CreateClient(string name)
        {
            ArgumentNullException.ThrowIfNull(name);
            if (!services.GetRequiredService<IOptions<Registry<TClient>>>().Value.Names.Contains(name))
                throw new InvalidOperationException($"No SdApi client named '{name}': register it with AddSdApiClient(\"{name}\", ...).");
            return create(new SdApiPipeline(
                services.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientNameFor(name)),
                services.GetRequiredService<IOptionsMonitor<SdApiClientOptions>>().Get(name),
                services.GetService<ILoggerFactory>()?.CreateLogger("SdApi.Client"),
                services.GetService<TimeProvider>(),
                defaultBaseAddress));
        }
    }
}
