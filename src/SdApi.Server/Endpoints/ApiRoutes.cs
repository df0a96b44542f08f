
namespace SdApi.Server.Endpoints;

/// <summary>One API operation: its operationId, path and x-sdapi-kind (generate, fetch, model-reload).</summary>
public sealed record ApiOperation(string OperationId, string Path, string Kind);

/// <summary>Maps every API operation onto its handler. Body reading, the key check and errors are shared here so each
/// handler only does its own job.</summary>
public static class ApiRoutes
{
    public static readonly IReadOnlyList<ApiOperation> Operations =
    [
        new("v4Text2Img", "/api/v4/dreambooth", "generate"),
        new("v4Img2Img", "/api/v4/dreambooth/img2img", "generate"),
        new("v4Inpaint", "/api/v4/dreambooth/inpaint", "generate"),
        new("v4Fetch", "/api/v4/dreambooth/fetch", "fetch"),
        new("v4FetchById", "/api/v4/dreambooth/fetch/{id}", "fetch"),
        new("v4ModelReload", "/api/v4/dreambooth/model_reload", "model-reload"),
        new("v6Text2Img", "/api/v6/images/text2img", "generate"),
        new("v6Img2Img", "/api/v6/images/img2img", "generate"),
        new("v6Inpaint", "/api/v6/images/inpaint", "generate"),
        new("v6Fetch", "/api/v6/images/fetch", "fetch"),
        new("v6FetchById", "/api/v6/images/fetch/{id}", "fetch"),
        new("v6ModelReload", "/api/v6/images/model_reload", "model-reload"),
        new("v3FetchById", "/api/v3/dreambooth/fetch/{id}", "fetch"),
    ];

    public static IEndpointRouteBuilder MapApiOperations(this IEndpointRouteBuilder app)
    {
        foreach (var operation in Operations)
            app.MapPost(operation.Path, async http =>
                {
                    var result = await HandleAsync(http, operation, http.GetRouteValue("id") as string);
                    await result.ExecuteAsync(http);
                })
                .WithName(operation.OperationId)
                .DisableAntiforgery();
        return app;
    }

    public static async Task<IResult> HandleAsync(HttpContext http, ApiOperation operation, string? id)
    {
        var services = http.RequestServices;
        var (document, error) = await services.GetRequiredService<ApiBody>().ReadAsync(http.Request, http.RequestAborted);
        if (error is not null)
            return error;
        using (document)
        {
            var body = document!.RootElement;
            var errors = services.GetRequiredService<IRequestValidator>().Validate(operation.OperationId, body);
            return await ApiPipeline.HandleAsync(http, operation, id, body, errors);
        }
    }
}
