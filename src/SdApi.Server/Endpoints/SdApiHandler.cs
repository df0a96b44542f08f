using System.Text.Json;
using SdApi.Bindings;
using SdApi.Bindings.Json;
using SdApi.Bindings.Server;
using SdApi.Bindings.Validation;
using SdApi.Server.Auth;
using SdApi.Server.Errors;
using SdApi.Server.Generated;

namespace SdApi.Server.Endpoints;

/// <summary>The server's <see cref="ISdApiHandler"/>, through the generated <see cref="SdApiKindHandler"/>: every operation
/// of openapi.yaml arrives as a typed request of its x-sdapi-kind. Order: a missing key is 401 in the validation shape
/// (the spec's edge table), a wrong key 401 "Invalid Api Key", other rule failures 400, then the kind's handler.</summary>
public sealed class SdApiHandler(ApiKeyStore keys, GenerateHandler generate, FetchHandler fetch, ModelReloadHandler reload) : SdApiKindHandler
{
    protected override async ValueTask<OperationResult> HandleGenerateAsync(SdApiCall call, HttpContext context, CancellationToken cancellationToken)
    {
        if (Refuse(call.Key, call.Validate()) is { } refused)
            return refused;
        // The typed request written back in its canonical wire form (numbers as numbers, flags as "yes"/"no",
        // unknown fields kept) is what the job stores and re-runs after a restart.
        using var body = JsonDocument.Parse(WireWriter.ToUtf8((IJsonWritable)call.Request));
        var reply = await generate.HandleAsync(call.OperationId, call.Key!, body.RootElement, context.Request, context.RequestAborted);
        return reply.ToOperationResult();
    }

    /// <summary>fetch/{id} names the job in the path; fetch names it in the body's request_id.</summary>
    protected override async ValueTask<OperationResult> HandleFetchAsync(SdApiCall call, HttpContext context, CancellationToken cancellationToken)
    {
        var requestId = call.PathParameters.TryGetValue("id", out var id) ? id : (call.Request as FetchRequest)?.RequestId?.Value;
        return Refuse(call.Key, call.Validate()) ?? (await fetch.HandleAsync(call.Key!, requestId, cancellationToken)).ToOperationResult();
    }

    protected override async ValueTask<OperationResult> HandleModelReloadAsync(SdApiCall call, HttpContext context, CancellationToken cancellationToken) =>
        Refuse(call.Key, call.Validate()) ?? (await reload.HandleAsync(((ModelReloadRequest)call.Request).ModelId, cancellationToken)).ToOperationResult();

    private OperationResult? Refuse(string? key, ValidationResult validation)
    {
        if (!validation.IsValid && validation.Errors.ContainsKey("key"))
            return OperationResult.Status(StatusCodes.Status401Unauthorized, validation);
        if (!keys.IsValid(key))
            return OperationResult.Error(StatusCodes.Status401Unauthorized, ApiError.InvalidKey);
        return validation.IsValid ? null : OperationResult.Invalid(validation);
    }
}
