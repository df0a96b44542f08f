using Microsoft.AspNetCore.Server.Kestrel.Core;
using SdApi.Server.Auth;
using SdApi.Bindings.Server;
using SdApi.Server.Configuration;
using SdApi.Server.Endpoints;
using SdApi.Server.Generated;
using SdApi.Server.Generation;
using SdApi.Server.Jobs;
using SdApi.Server.Limits;
using SdApi.Server.Models;
using SdApi.Server.Net;
using SdApi.Server.Outputs;
using SdApi.Server.Storage;
using SdApi.Server.Webhooks;

namespace SdApi.Server.Hosting;

/// <summary>Builds the reference server. <c>Program.cs</c> and <c>sdapi serve</c> both call this, so they run the
/// same server with the same options (<c>--urls</c>, <c>--SdApi:DataDir=...</c>, environment <c>SdApi__Keys__0</c>).</summary>
public static class SdApiServer
{
    /// <summary>Where the server listens when neither <c>--urls</c> nor <c>ASPNETCORE_URLS</c> says otherwise.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5000";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // appsettings.json ships beside the binary, so `dotnet run --project` works from any directory.
            ContentRootPath = AppContext.BaseDirectory,
        });
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"]))
            builder.WebHost.UseUrls(DefaultUrl);
        AddServices(builder);
        configure?.Invoke(builder);

        var app = builder.Build();
        _ = app.Services.GetRequiredService<ApiKeyStore>(); // creates and prints the key on first start
        app.UseMiddleware<ApiExceptionMiddleware>();
        app.UseMiddleware<FailedKeyThrottle>();
        app.UseMiddleware<RequestBodyGuard>();
        // Bodiless answers from the framework (405 wrong method, ...) get the API's error shape too.
        app.UseStatusCodePages(context => Errors.ApiError.Message(context.HttpContext.Response.StatusCode,
            Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(context.HttpContext.Response.StatusCode))
            .ToResult().ExecuteAsync(context.HttpContext));
        app.UseRouting();
        app.MapSdApi();
        app.MapFileRoutes();
        app.MapFallback((HttpContext http) => Errors.ApiError.Message(StatusCodes.Status404NotFound,
            $"No API operation at {http.Request.Method} {http.Request.Path}.").ToResult());
        return app;
    }

    public static async Task RunAsync(string[] args, CancellationToken ct = default)
    {
        await using var app = Build(args);
        await app.StartAsync(ct);
        await app.WaitForShutdownAsync(ct);
    }

    private static void AddServices(WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(ServerOptions.Section);
        builder.Services.Configure<ServerOptions>(section);
        var limits = section.Get<ServerOptions>()?.Limits ?? new LimitOptions();
        // Kestrel's own cap sits above the API limit: the stubs stop buffering at the API limit and answer 413, and
        // Kestrel can still drain the rest of a modest overshoot so the client reads that answer instead of a reset.
        builder.Services.Configure<KestrelServerOptions>(k =>
        {
            k.Limits.MaxRequestBodySize = (limits.MaxRequestBodyBytes * 2) + (1 << 20);
            // Kestrel's own 400/408/413/414/431 answers get the API's JSON body too.
            k.ConfigureEndpointDefaults(KestrelErrorBodies.Use);
        });

        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<DataFolder>();
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<JobStore>();
        services.AddSingleton<JobQueue>();
        services.AddSingleton<QueueAdmission>();
        services.AddSingleton<JobCompletions>();
        services.AddSingleton<OutputStore>();
        services.AddSingleton<ModelCatalog>();
        services.AddHostedService<ModelEvictionService>();
        services.AddSingleton<IdleMemoryTrim>();
        services.AddHostedService(sp => sp.GetRequiredService<IdleMemoryTrim>());
        services.AddSingleton<AddressPolicy>();
        services.AddSingleton<GuardedHttp>();
        services.AddSingleton<WebhookDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
        services.AddSingleton<JobRunner>();
        services.AddHostedService(sp => sp.GetRequiredService<JobRunner>());
        services.AddSingleton<EngineImageGenerator>();
        services.AddSingleton<IImageGenerator>(sp => sp.GetRequiredService<EngineImageGenerator>());
        services.AddSingleton<IModelStore>(sp => sp.GetRequiredService<EngineImageGenerator>());
        // The generated stubs read the body (415/413/400) and call SdApiHandler, which validates itself so a
        // missing key answers 401 as the spec's edge table says (the stubs' own validation would answer 400).
        services.AddSingleton(new SdApiServerOptions { MaxBodyBytes = limits.MaxRequestBodyBytes, ValidateRequests = false });
        services.AddSingleton<ISdApiHandler, SdApiHandler>();
        services.AddSingleton<BaseUrl>();
        services.AddSingleton<InputImages>();
        services.AddSingleton<GenerateHandler>();
        services.AddSingleton<FetchHandler>();
        services.AddSingleton<ModelReloadHandler>();
    }
}
