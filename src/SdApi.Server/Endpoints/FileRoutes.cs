using System.Reflection;
using SdApi.Server.Errors;
using SdApi.Server.Jobs;
using SdApi.Server.Outputs;
using Microsoft.Extensions.Options;
using SdApi.Server.Configuration;

namespace SdApi.Server.Endpoints;

/// <summary>GET routes: generated images (<c>/generations/</c>, and <c>/temp/</c> for links that expire), the spec
/// (<c>/openapi.yaml</c>) and <c>/health</c> for CI.</summary>
public static class FileRoutes
{
    public static IEndpointRouteBuilder MapFileRoutes(this IEndpointRouteBuilder app)
    {
        app.MapGet(JobLinks.GenerationsPath + "/{file}", (string file, HttpContext http) => ServeAsync(file, temp: false, http));
        app.MapGet(JobLinks.TempPath + "/{file}", (string file, HttpContext http) => ServeAsync(file, temp: true, http));
        app.MapGet("/openapi.yaml", () => Spec() is { } spec
            ? Results.Bytes(spec, "application/yaml")
            : ApiError.Message(StatusCodes.Status404NotFound, "This build has no embedded openapi.yaml.").ToResult());
        app.MapGet("/health", async (JobStore store, JobQueue queue, CancellationToken ct) =>
        {
            await store.GetAsync(0, ct); // the database answers
            return Results.Json(new { status = "ok", queued = queue.Count, running = queue.Running });
        });
        return app;
    }

    private static async Task<IResult> ServeAsync(string file, bool temp, HttpContext http)
    {
        var services = http.RequestServices;
        var path = services.GetRequiredService<OutputStore>().Find(file);
        var jobId = OutputStore.JobIdOf(file);
        if (path is null || jobId is null)
            return NotFound();
        var job = await services.GetRequiredService<JobStore>().GetAsync(jobId.Value, http.RequestAborted);
        if (job is null || job.Temp != temp)
            return NotFound();
        if (temp)
        {
            var lifetime = services.GetRequiredService<IOptions<ServerOptions>>().Value.Jobs.TempLinkLifetime;
            if (services.GetRequiredService<TimeProvider>().GetUtcNow() > job.CreatedAt + lifetime)
                return ApiError.Message(StatusCodes.Status410Gone, "This temporary link has expired.").ToResult();
        }
        var contentType = file.EndsWith(".base64", StringComparison.Ordinal) ? "text/plain" : "image/png";
        return Results.File(path, contentType);
    }

    private static IResult NotFound() => ApiError.Message(StatusCodes.Status404NotFound, "Not found.").ToResult();

    private static byte[]? _spec;

    private static byte[]? Spec()
    {
        if (_spec is not null)
            return _spec;
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("openapi.yaml");
        if (stream is null)
            return null;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return _spec = copy.ToArray();
    }
}
