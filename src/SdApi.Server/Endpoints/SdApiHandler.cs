using System.Text.Json;
using SdApi.Bindings;
using SdApi.Bindings.Json;
using SdApi.Bindings.Server;
using SdApi.Bindings.Validation;
using SdApi.Server.Auth;
using SdApi.Server.Errors;
using SdApi.Server.Generated;

namespace SdApi.Server.Endpoints;

/// <summary>The generated <see cref="ISdApiHandler"/>: every operation of openapi.yaml arrives here as its typed request
/// with its generated validation result. Order: a missing key is 401 in the validation shape (the spec's edge table),
/// a wrong key 401 "Invalid Api Key", other rule failures 400, then the handler of the operation's x-sdapi-kind.</summary>
public sealed class SdApiHandler(ApiKeyStore keys, GenerateHandler generate, FetchHandler fetch, ModelReloadHandler reload) : ISdApiHandler
{
    public ValueTask<OperationResult> V4Text2ImgAsync(V4Text2ImgRequest request, HttpContext context, CancellationToken cancellationToken) =>
        GenerateAsync("v4Text2Img", request.Key, request, request.Validate(), context);

    public ValueTask<OperationResult> V4Img2ImgAsync(V4Img2ImgRequest request, HttpContext context, CancellationToken cancellationToken) =>
        GenerateAsync("v4Img2Img", request.Key, request, request.Validate(), context);

    public ValueTask<OperationResult> V4InpaintAsync(V4InpaintRequest request, HttpContext context, CancellationToken cancellationToken) =>
        GenerateAsync("v4Inpaint", request.Key, request, request.Validate(), context);

    public ValueTask<OperationResult> V4FetchAsync(FetchRequest request, HttpContext context, CancellationToken cancellationToken) =>
        FetchAsync(request.Key, request.RequestId?.Value, request.Validate(), cancellationToken);

    public ValueTask<OperationResult> V4FetchByIdAsync(string id, FetchByIdRequest request, HttpContext context, CancellationToken cancellationToken) =>
        FetchAsync(request.Key, id, request.Validate(), cancellationToken);

    public ValueTask<OperationResult> V4ModelReloadAsync(ModelReloadRequest request, HttpContext context, CancellationToken cancellationToken) =>
        ReloadAsync(request, cancellationToken);

    public ValueTask<OperationResult> V6Text2ImgAsync(V6Text2ImgRequest request, HttpContext context, CancellationToken cancellationToken) =>
        GenerateAsync("v6Text2Img", request.Key, request, request.Validate(), context);

    public ValueTask<OperationResult> V6Img2ImgAsync(V6Img2ImgRequest request, HttpContext context, CancellationToken cancellationToken) =>
        GenerateAsync("v6Img2Img", request.Key, request, request.Validate(), context);

    public ValueTask<OperationResult> V6InpaintAsync(V6InpaintRequest request, HttpContext context, CancellationToken cancellationToken) =>
        GenerateAsync("v6Inpaint", request.Key, request, request.Validate(), context);

    public ValueTask<OperationResult> V6FetchAsync(FetchRequest request, HttpContext context, CancellationToken cancellationToken) =>
        FetchAsync(request.Key, request.RequestId?.Value, request.Validate(), cancellationToken);

    public ValueTask<OperationResult> V6FetchByIdAsync(string id, FetchByIdRequest request, HttpContext context, CancellationToken cancellationToken) =>
        FetchAsync(request.Key, id, request.Validate(), cancellationToken);

    public ValueTask<OperationResult> V6ModelReloadAsync(ModelReloadRequest request, HttpContext context, CancellationToken cancellationToken) =>
        ReloadAsync(request, cancellationToken);

    public ValueTask<OperationResult> V3FetchByIdAsync(string id, FetchByIdRequest request, HttpContext context, CancellationToken cancellationToken) =>
        FetchAsync(request.Key, id, request.Validate(), cancellationToken);

    private async ValueTask<OperationResult> GenerateAsync(string operationId, string? key, IJsonWritable request,
        ValidationResult validation, HttpContext context)
    {
        if (Refuse(key, validation) is { } refused)
            return refused;
        // The typed request written back in its canonical wire form (numbers as numbers, flags as "yes"/"no",
        // unknown fields kept) is what the job stores and re-runs after a restart.
        using var body = JsonDocument.Parse(WireWriter.ToUtf8(request));
        var reply = await generate.HandleAsync(operationId, key!, body.RootElement, context.Request, context.RequestAborted);
        return reply.ToOperationResult();
    }

    private async ValueTask<OperationResult> FetchAsync(string? key, string? requestId, ValidationResult validation, CancellationToken ct) =>
        Refuse(key, validation) ?? (await fetch.HandleAsync(key!, requestId, ct)).ToOperationResult();

    private async ValueTask<OperationResult> ReloadAsync(ModelReloadRequest request, CancellationToken ct) =>
        Refuse(request.Key, request.Validate()) ?? (await reload.HandleAsync(request.ModelId, ct)).ToOperationResult();

    private OperationResult? Refuse(string? key, ValidationResult validation)
    {
        if (!validation.IsValid && validation.Errors.ContainsKey("key"))
            return OperationResult.Status(StatusCodes.Status401Unauthorized, validation);
        if (!keys.IsValid(key))
            return OperationResult.Error(StatusCodes.Status401Unauthorized, ApiError.InvalidKey);
        return validation.IsValid ? null : OperationResult.Invalid(validation);
    }
}
