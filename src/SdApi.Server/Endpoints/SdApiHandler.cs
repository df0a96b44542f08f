using SdApi.Bindings.Server;
using SdApi.Bindings.Validation;
using SdApi.Server.Auth;
using SdApi.Server.Errors;
using SdApi.Server.Generated;

namespace SdApi.Server.Endpoints;

/// <summary>The server's <see cref="ISdApiHandler"/>, through the generated <see cref="SdApiKindHandler"/>: every operation
/// of openapi.yaml arrives as the typed call of its x-sdapi-kind (validated, spec defaults applied). Order: a missing key is
/// 401 in the validation shape (the spec's edge table), a wrong key 401 "Invalid Api Key", other rule failures 400, then
/// the kind's handler.</summary>
public sealed class SdApiHandler(ApiKeyStore keys, GenerateHandler generate, FetchHandler fetch, ModelReloadHandler reload) : SdApiKindHandler
{
    protected override async ValueTask<OperationResult> HandleGenerateAsync(GenerateCall call, HttpContext context, CancellationToken cancellationToken) =>
        (await generate.HandleAsync(call, context.Request, context.RequestAborted)).ToOperationResult();

    /// <summary>fetch/{id} names the job in the path; fetch names it in the body's request_id.</summary>
    protected override async ValueTask<OperationResult> HandleFetchAsync(FetchCall call, HttpContext context, CancellationToken cancellationToken) =>
        (await fetch.HandleAsync(call.Key!, call.PathId ?? call.RequestId?.Value, cancellationToken)).ToOperationResult();

    protected override async ValueTask<OperationResult> HandleModelReloadAsync(ModelReloadCall call, HttpContext context, CancellationToken cancellationToken) =>
        (await reload.HandleAsync(call.ModelId, cancellationToken)).ToOperationResult();

    protected override OperationResult? Refuse(string? key, ValidationResult validation)
    {
        ArgumentNullException.ThrowIfNull(validation);
        if (!validation.IsValid && validation.Errors.ContainsKey("key"))
            return OperationResult.Status(StatusCodes.Status401Unauthorized, validation);
        if (!keys.IsValid(key))
            return OperationResult.Error(StatusCodes.Status401Unauthorized, ApiError.InvalidKey);
        return validation.IsValid ? null : OperationResult.Invalid(validation);
    }
}
