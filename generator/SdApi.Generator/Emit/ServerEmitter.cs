using System.Collections.Generic;
using System.Linq;
using SdApi.Generator.Model;
using SdApi.Generator.Parsing;

namespace SdApi.Generator.Emit;

/// <summary>Server stubs: a handler interface with one method per operation and <c>MapSdApi()</c>, which maps one
/// minimal-API POST route per operation: content type (415), size (413), tolerant read (400 on malformed JSON),
/// validation (400 in the API's shape), then the handler.</summary>
internal static class ServerEmitter
{
    private const string S = "global::SdApi.Bindings.Server";

    public static IEnumerable<GeneratedSource> Emit(ApiSpec spec, GeneratorOptions options)
    {
        var m = options.ModelsNamespace == options.Namespace ? "" : "global::" + options.ModelsNamespace + ".";
        yield return new GeneratedSource("Server/ISdApiHandler.g.cs", EmitHandler(spec, options, m));
        yield return new GeneratedSource("Server/SdApiKindHandler.g.cs", EmitKindHandler(spec, options, m));
        yield return new GeneratedSource("Server/SdApiEndpoints.g.cs", EmitEndpoints(spec, options, m));
        yield return new GeneratedSource("Server/SdApiResponseWriter.g.cs", EmitWriter(options));
    }

    private static string Parameters(OperationSpec op, string m)
        => string.Join(", ", op.PathParameters.Select(p => "string " + Naming.Camel(Naming.Pascal(p)))
            .Concat(new[] { $"{m}{op.RequestModel} request", "global::Microsoft.AspNetCore.Http.HttpContext context", "global::System.Threading.CancellationToken cancellationToken" }));

    private static string EmitHandler(ApiSpec spec, GeneratorOptions options, string m)
    {
        var w = new CodeWriter().Header(options.Namespace);
        w.Doc("What the server implements: one method per operation. Requests arrive read and validated; return\n<see cref=\"global::SdApi.Bindings.Server.OperationResult\"/> (a body and an HTTP status). Register the implementation in DI.");
        w.Open("public partial interface ISdApiHandler");
        foreach (var op in spec.Operations)
        {
            w.Doc($"<c>POST {op.Path}</c> ({op.OperationId}, x-sdapi-kind {op.Kind}); answers {op.ResponseModel}.");
            w.Line($"global::System.Threading.Tasks.ValueTask<{S}.OperationResult> {Naming.Pascal(op.OperationId)}Async({Parameters(op, m)});");
            w.Line();
        }
        w.Close();
        return w.ToString();
    }

    /// <summary>An abstract <c>ISdApiHandler</c> that routes every operation to one method per <c>x-sdapi-kind</c>, so a
    /// server implements the kinds (generate, fetch, model-reload) once and an operation added to the spec needs no
    /// server code.</summary>
    private static string EmitKindHandler(ApiSpec spec, GeneratorOptions options, string m)
    {
        var w = new CodeWriter().Header(options.Namespace);
        w.Doc("<see cref=\"ISdApiHandler\"/> by x-sdapi-kind: each operation becomes a <see cref=\"global::SdApi.Bindings.Server.SdApiCall\"/>\nand goes to the method of its kind. Derive from it and implement one method per kind.");
        w.Open("public abstract partial class SdApiKindHandler : ISdApiHandler");
        foreach (var kind in spec.Operations.Select(o => o.Kind).Distinct())
        {
            w.Doc($"Every operation with <c>x-sdapi-kind: {kind}</c>.");
            w.Line($"protected abstract global::System.Threading.Tasks.ValueTask<{S}.OperationResult> Handle{Naming.Pascal(kind)}Async({S}.SdApiCall call, global::Microsoft.AspNetCore.Http.HttpContext context, global::System.Threading.CancellationToken cancellationToken);");
            w.Line();
        }
        foreach (var op in spec.Operations)
        {
            var model = spec.Models.FirstOrDefault(x => x.Name == op.RequestModel);
            var key = model?.Properties.FirstOrDefault(p => p.JsonName == "key") is { } k ? "request." + k.CSharpName : "null";
            var path = op.PathParameters.Count == 0
                ? $"{S}.SdApiCall.NoPathParameters"
                : "new global::System.Collections.Generic.Dictionary<string, string> { " + string.Join(", ", op.PathParameters.Select(p => $"[{Naming.Literal(p)}] = {Naming.Camel(Naming.Pascal(p))}")) + " }";
            w.Line($"public global::System.Threading.Tasks.ValueTask<{S}.OperationResult> {Naming.Pascal(op.OperationId)}Async({Parameters(op, m)}) =>");
            w.Line($"    Handle{Naming.Pascal(op.Kind)}Async(new {S}.SdApiCall({Naming.Literal(op.OperationId)}, {Naming.Literal(op.Kind)}, request, {key}, {path}), context, cancellationToken);");
            w.Line();
        }
        w.Close();
        return w.ToString();
    }

    private static string EmitEndpoints(ApiSpec spec, GeneratorOptions options, string m)
    {
        var w = new CodeWriter().Header(options.Namespace, "Microsoft.AspNetCore.Builder", "Microsoft.AspNetCore.Http", "Microsoft.AspNetCore.Routing", "Microsoft.Extensions.DependencyInjection");
        w.Doc("Maps every operation of openapi.yaml to <see cref=\"ISdApiHandler\"/>.");
        w.Open("public static partial class SdApiEndpoints");
        w.Doc("Maps one POST route per operation and returns the group, so callers can add filters or metadata.");
        w.Open("public static RouteGroupBuilder MapSdApi(this IEndpointRouteBuilder endpoints)");
        w.Line("var group = endpoints.MapGroup(\"\");");
        foreach (var op in spec.Operations)
            w.Line($"group.MapPost({Naming.Literal(op.Path)}, {Naming.Pascal(op.OperationId)}).WithName({Naming.Literal(op.OperationId)}).WithTags({Naming.Literal(op.Tag)});");
        w.Line("return group;");
        w.Close();
        foreach (var op in spec.Operations)
        {
            w.Line();
            w.Open($"private static async global::System.Threading.Tasks.Task {Naming.Pascal(op.OperationId)}(HttpContext context)");
            w.Line($"var options = context.RequestServices.GetService<{S}.SdApiServerOptions>() ?? {S}.SdApiServerOptions.Default;");
            w.Line($"var body = await {S}.ServerRequestReader.ReadAsync(context.Request.ContentType, context.Request.ContentLength, context.Request.Body, options, context.RequestAborted).ConfigureAwait(false);");
            w.Line($"if (body.Error is {{ }} refused) {{ await SdApiResponseWriter.WriteAsync(context, refused).ConfigureAwait(false); return; }}");
            w.Line($"{m}{op.RequestModel} request;");
            w.Line($"try {{ request = {m}{op.RequestModel}.FromJson(body.Json.Span); }}");
            w.Line($"catch (global::System.Text.Json.JsonException) {{ await SdApiResponseWriter.WriteAsync(context, {S}.OperationResult.MalformedJson()).ConfigureAwait(false); return; }}");
            w.Open("if (options.ValidateRequests)");
            w.Line("var validation = request.Validate();");
            w.Line($"if (!validation.IsValid) {{ await SdApiResponseWriter.WriteAsync(context, {S}.OperationResult.Invalid(validation)).ConfigureAwait(false); return; }}");
            w.Close();
            foreach (var p in op.PathParameters)
                w.Line($"var {Naming.Camel(Naming.Pascal(p))} = context.Request.RouteValues[{Naming.Literal(p)}]?.ToString() ?? \"\";");
            var args = op.PathParameters.Select(p => Naming.Camel(Naming.Pascal(p))).Concat(new[] { "request", "context", "context.RequestAborted" });
            w.Line("var handler = context.RequestServices.GetRequiredService<ISdApiHandler>();");
            w.Line($"var result = await handler.{Naming.Pascal(op.OperationId)}Async({string.Join(", ", args)}).ConfigureAwait(false);");
            w.Line($"await SdApiResponseWriter.WriteAsync(context, result).ConfigureAwait(false);");
            w.Close();
        }
        w.Close();
        return w.ToString();
    }

    private static string EmitWriter(GeneratorOptions options)
    {
        var w = new CodeWriter().Header(options.Namespace, "Microsoft.AspNetCore.Http");
        w.Doc("Writes an <see cref=\"global::SdApi.Bindings.Server.OperationResult\"/> as the HTTP response (status, headers, JSON body).");
        w.Open("internal static class SdApiResponseWriter");
        w.Open($"public static async global::System.Threading.Tasks.Task WriteAsync(HttpContext context, {S}.OperationResult result)");
        w.Line("context.Response.StatusCode = result.StatusCode;");
        w.Line("context.Response.ContentType = \"application/json\";");
        w.Line("if (result.Headers is { } headers) foreach (var header in headers) context.Response.Headers[header.Key] = header.Value;");
        w.Line("var bytes = result.ToUtf8();");
        w.Line("context.Response.ContentLength = bytes.Length;");
        w.Line("await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);");
        w.Close();
        w.Close();
        return w.ToString();
    }
}
