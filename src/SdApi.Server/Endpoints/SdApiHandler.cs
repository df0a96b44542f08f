using System.Text.Json;
using SdApi.Bindings;
using SdApi.Bindings.Json;
using SdApi.Bindings.Server;
using SdApi.Bindings.Validation;
using SdApi.Server.Generated;

namespace SdApi.Server.Endpoints;

/// <summary>The generated <see cref="ISdApiHandler"/>: every operation of openapi.yaml arrives here as its typed request
/// and goes through <see cref="ApiPipeline"/> with the request's own (generated) validation result.</summary>
public sealed class SdApiHandler : ISdApiHandler
{
    public ValueTask<OperationResult> V4Text2ImgAsync(V4Text2ImgRequest request, HttpContext context, CancellationToken cancellationToken) =>
        HandleAsync("v4Text2Img", null, request, request.Validate(), context);

    public ValueTask<OperationResult> V4Img2ImgAsync(V4Img2ImgRequest request, HttpContext context, CancellationToken cancellationToken) =>
        HandleAsync("v4Img2Img", null, request, request.Validate(), context);

    public ValueTask<OperationResult> V4InpaintAsync(V4InpaintRequest request, HttpContext context, CancellationToken cancellationToken) =>
        HandleAsync("v4Inpaint", null, request, request.Validate(), context);

    public ValueTask<OperationResult> V4FetchAsync(FetchRequest request, HttpContext context, CancellationToken cancellationToken) =>
        HandleAsync("v4Fetch", null, request, request.Validate(), context);

    public ValueTask<OperationResult> V4FetchByIdAsync(string id, FetchByIdRequest request, HttpContext context, CancellationToken cancellationToken) =>
        HandleAsync("v4FetchById", id, request, request.Validate(), context);

    public ValueTask<OperationResult> V4ModelReloadAsync(ModelReloadRequest request, HttpContext context, CancellationToken cancellationToken) =>
        HandleAsync("v4ModelReload", null, request, request.Validate(), context);

    public ValueTask<OperationResult> V6Text2ImgAsync(V6Text2ImgRequest request, HttpContext context, CancellationToken cancellationToken) =>
        HandleAsync("v6Text2Img", null, request, request.Validate(), context);

    public ValueTask<OperationResult> V6Img2ImgAsync(V6Img2ImgRequest request, HttpContext context, CancellationToken cancellationToken) =>
        HandleAsync("v6Img2Img", null, request, request.Validate(), context);

    public ValueTask<OperationResult> V6InpaintAsync(V6InpaintRequest request, HttpContext context, CancellationToken cancellationToken) =>
        HandleAsync("v6Inpaint", null, request, request.Validate(), context);

    public ValueTask<OperationResult> V6FetchAsync(FetchRequest request, HttpContext context, CancellationToken cancellationToken) =>
        HandleAsync("v6Fetch", null, request, request.Validate(), context);

    public ValueTask<OperationResult> V6FetchByIdAsync(string id, FetchByIdRequest request, HttpContext context, CancellationToken cancellationToken) =>
        HandleAsync("v6FetchById", id, request, request.Validate(), context);

    public ValueTask<OperationResult> V6ModelReloadAsync(ModelReloadRequest request, HttpContext context, CancellationToken cancellationToken) =>
        HandleAsync("v6ModelReload", null, request, request.Validate(), context);

    public ValueTask<OperationResult> V3FetchByIdAsync(string id, FetchByIdRequest request, HttpContext context, CancellationToken cancellationToken) =>
        HandleAsync("v3FetchById", id, request, request.Validate(), context);

    private static async ValueTask<OperationResult> HandleAsync(string operationId, string? id, IJsonWritable request,
        ValidationResult validation, HttpContext context)
    {
        var operation = SdApiOperations.FindById(operationId) ?? throw new InvalidOperationException($"No operation {operationId} in the catalog.");
        // The typed request written back in its canonical wire form (numbers as numbers, flags as "yes"/"no",
        // unknown fields kept) is what the jobs store and re-run after a restart.
        using var body = JsonDocument.Parse(WireWriter.ToUtf8(request));
        var errors = validation.IsValid
            ? null
            : validation.Errors.ToDictionary(e => e.Key, e => e.Value.ToList(), StringComparer.Ordinal);
        var reply = await ApiPipeline.HandleAsync(context, operation.OperationId, operation.Kind, id, body.RootElement, errors);
        return reply.ToOperationResult();
    }
}
