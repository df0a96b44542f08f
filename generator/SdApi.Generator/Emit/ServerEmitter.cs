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
        yield return new GeneratedSource("Server/SdApiCalls.g.cs", EmitCalls(spec, options, m));
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
    /// server code. Each kind's method gets a typed call (see <see cref="EmitCalls"/>), checked first by <c>Refuse</c>.</summary>
    private static string EmitKindHandler(ApiSpec spec, GeneratorOptions options, string m)
    {
        var w = new CodeWriter().Header(options.Namespace);
        w.Doc("<see cref=\"ISdApiHandler\"/> by x-sdapi-kind: each operation's request is checked (<see cref=\"Refuse\"/>), then\nbecomes the typed call of its kind (spec defaults applied) and goes to the method of its kind. Derive from it and\nimplement one method per kind.");
        w.Open("public abstract partial class SdApiKindHandler : ISdApiHandler");
        foreach (var kind in spec.Operations.Select(o => o.Kind).Distinct())
        {
            w.Doc($"Every operation with <c>x-sdapi-kind: {kind}</c>, already validated, with the spec's defaults applied.");
            w.Line($"protected abstract global::System.Threading.Tasks.ValueTask<{S}.OperationResult> Handle{Naming.Pascal(kind)}Async({CallName(kind)} call, global::Microsoft.AspNetCore.Http.HttpContext context, global::System.Threading.CancellationToken cancellationToken);");
            w.Line();
        }
        w.Doc("Runs before any kind's method with the request's <c>key</c> (null when the operation has none) and its validation:\nnull lets the call through. By default every rule violation is a 400 in the API's shape; override to answer key\nproblems first.");
        w.Line($"protected virtual {S}.OperationResult? Refuse(string? key, {TypeMap.Validation}.ValidationResult validation) => validation.IsValid ? null : {S}.OperationResult.Invalid(validation);");
        w.Line();
        foreach (var op in spec.Operations)
        {
            var model = spec.Models.FirstOrDefault(x => x.Name == op.RequestModel);
            var key = model?.Properties.FirstOrDefault(p => p.JsonName == "key") is { } k ? "request." + k.CSharpName : "null";
            var path = string.Concat(op.PathParameters.Select(p => ", " + Naming.Camel(Naming.Pascal(p))));
            w.Open($"public global::System.Threading.Tasks.ValueTask<{S}.OperationResult> {Naming.Pascal(op.OperationId)}Async({Parameters(op, m)})");
            w.Line("var validation = request.Validate();");
            w.Line($"return Refuse({key}, validation) is {{ }} refused");
            w.Line($"    ? new global::System.Threading.Tasks.ValueTask<{S}.OperationResult>(refused)");
            w.Line($"    : Handle{Naming.Pascal(op.Kind)}Async({CallName(op.Kind)}.From{Naming.Pascal(op.OperationId)}(request{path}) with {{ Warnings = validation.Warnings }}, context, cancellationToken);");
            w.Close();
            w.Line();
        }
        w.Close();
        return w.ToString();
    }

    /// <summary>The property's type as seen from the server namespace (models may live in another one).</summary>
    private static string Qualified(PropertySpec p, string m)
        => p.Kind is PropertyKind.Enum or PropertyKind.Object && p.RefType is not null ? m + TypeMap.Type(p) : TypeMap.Type(p);

    private static string CallName(string kind) => Naming.Pascal(kind) + "Call";

    private static string Version(OperationSpec op) => op.OperationId.Substring(0, op.OperationId.Length - op.Name.Length);

    private static readonly string[] FixedMembers = { "OperationId", "Version", "Operation", "Request", "Warnings", "ForStorage", "Read" };

    /// <summary>Per kind: an enum of its operations (by the name after the version) and a record holding any of its
    /// requests typed: every body field of every operation of the kind (the spec's types; a field an operation lacks stays
    /// null), the path parameters, the operation, and the request as read (its generated writer stores it). <c>From{OperationId}</c>
    /// applies the spec's defaults (<c>WithSpecDefaults</c>); <c>Read</c> turns a stored body back into the call.</summary>
    private static string EmitCalls(ApiSpec spec, GeneratorOptions options, string m)
    {
        var w = new CodeWriter().Header(options.Namespace);
        foreach (var group in spec.Operations.GroupBy(o => o.Kind))
        {
            var kind = group.Key;
            var name = CallName(kind);
            var ops = group.ToList();
            var models = ops.Select(o => spec.Models.FirstOrDefault(x => x.Name == o.RequestModel)).ToList();

            // The union of the fields, by wire name; the first operation's type wins (the generator keeps one C# member
            // per wire name, so a field typed differently elsewhere is left out of that operation's call).
            var fields = new List<PropertySpec>();
            foreach (var model in models)
                foreach (var p in model?.Properties ?? default)
                    if (p.Kind != PropertyKind.Message && !fields.Any(f => f.JsonName == p.JsonName))
                        fields.Add(FixedMembers.Contains(p.CSharpName) ? p with { CSharpName = p.CSharpName + "Field" } : p);
            var pathParameters = ops.SelectMany(o => o.PathParameters).Distinct().ToList();

            w.Doc($"The operations of <c>x-sdapi-kind: {kind}</c>, by their name after the version.");
            w.Open($"public enum {Naming.Pascal(kind)}Operation");
            foreach (var opName in ops.Select(o => Naming.Pascal(o.Name)).Distinct())
                w.Line(opName + ",");
            w.Close();
            w.Line();

            w.Doc($"One <c>x-sdapi-kind: {kind}</c> call ({string.Join(", ", ops.Select(o => o.OperationId))}), typed: the request's fields with\nthe spec's defaults applied (a field its operation does not have is null), its path parameters and the request as read.");
            w.Open($"public sealed partial record {name}");
            w.Doc("The operationId (e.g. <c>" + ops[0].OperationId + "</c>).");
            w.Line("public required string OperationId { get; init; }");
            w.Line();
            w.Doc("The API version of the operation's path (<c>v4</c>, <c>v6</c>, ...).");
            w.Line("public required string Version { get; init; }");
            w.Line();
            w.Doc("Which operation of the kind, without its version.");
            w.Line($"public required {Naming.Pascal(kind)}Operation Operation {{ get; init; }}");
            w.Line();
            w.Doc("The request as read, before defaults: its generated writer gives the canonical wire form (numbers as numbers,\nflags as \"yes\"/\"no\", unknown fields kept).");
            w.Line($"public required {TypeMap.Json}.IJsonWritable Request {{ get; init; }}");
            w.Line();
            foreach (var parameter in pathParameters)
            {
                w.Doc($"The path parameter <c>{{{parameter}}}</c>; null for operations without it.");
                w.Line($"public string? Path{Naming.Pascal(parameter)} {{ get; init; }}");
                w.Line();
            }
            foreach (var f in fields)
            {
                w.Doc($"Wire name <c>{f.JsonName}</c>.");
                w.Line($"public {Qualified(f, m)} {f.CSharpName} {{ get; init; }}");
                w.Line();
            }
            w.Doc("The warnings the request's validation gave (rules of severity warning, spec/rules.md), so a handler can keep\nthem with the job instead of validating again; empty when the call was not made from a validated request.");
            w.Line($"public global::System.Collections.Generic.IReadOnlyList<{TypeMap.Validation}.RuleViolation> Warnings {{ get; init; }} = global::System.Array.Empty<{TypeMap.Validation}.RuleViolation>();");
            w.Line();
            w.Doc("Fields the reader did not know, as read.");
            w.Line("public global::System.Collections.Generic.IReadOnlyDictionary<string, global::System.Text.Json.JsonElement>? AdditionalProperties { get; init; }");
            w.Line();
            w.Line($"private global::System.Func<global::System.Func<string?, string?>, {TypeMap.Json}.IJsonWritable> _forStorage = null!;");
            w.Line();
            w.Doc("The request as it may be stored (e.g. to run again after a restart): secret fields (the key) left out, and each\nimage field (<c>x-sdapi-kind: image</c>) passed through <paramref name=\"image\"/>. Write it with its generated writer.");
            w.Line($"public {TypeMap.Json}.IJsonWritable ForStorage(global::System.Func<string?, string?> image) => _forStorage(image);");
            for (var i = 0; i < ops.Count; i++)
            {
                var op = ops[i];
                var model = models[i];
                w.Line();
                var parameters = string.Concat(op.PathParameters.Select(p => ", string " + Naming.Camel(Naming.Pascal(p))));
                w.Doc($"<c>{op.OperationId}</c> with the spec's defaults applied.");
                w.Open($"public static {name} From{Naming.Pascal(op.OperationId)}({m}{op.RequestModel} request{parameters})");
                w.Line(model is not null && DefaultsEmitter.HasDefaults(model) ? "var r = request.WithSpecDefaults();" : "var r = request;");
                w.Line("return new()");
                w.Line("{");
                w.Line($"    OperationId = {Naming.Literal(op.OperationId)},");
                w.Line($"    Version = {Naming.Literal(Version(op))},");
                w.Line($"    Operation = {Naming.Pascal(kind)}Operation.{Naming.Pascal(op.Name)},");
                w.Line("    Request = request,");
                foreach (var p in op.PathParameters)
                    w.Line($"    Path{Naming.Pascal(p)} = {Naming.Camel(Naming.Pascal(p))},");
                foreach (var p in model?.Properties ?? default)
                {
                    var f = fields.FirstOrDefault(x => x.JsonName == p.JsonName);
                    if (f is null || TypeMap.Type(f) != TypeMap.Type(p)) continue;
                    w.Line($"    {f.CSharpName} = r.{p.CSharpName},");
                }
                w.Line("    AdditionalProperties = r.AdditionalProperties,");
                // The scrubber maps a present image to a present reference ("!": a required image member stays non-null).
                var scrubbed = (model?.Properties ?? default).Where(p => p.IsSecret || p.Kind == PropertyKind.Image)
                    .Select(p => p.IsSecret ? $"{p.CSharpName} = default!" : $"{p.CSharpName} = image(request.{p.CSharpName})!").ToList();
                w.Line(scrubbed.Count == 0 ? "    _forStorage = _ => request," : $"    _forStorage = image => request with {{ {string.Join(", ", scrubbed)} }},");
                w.Line("};");
                w.Close();
            }
            if (pathParameters.Count == 0)
            {
                w.Line();
                w.Doc("A stored request body (as <see cref=\"Request\"/> wrote it) read back as the call of its operation; null for an\noperationId of another kind. Throws <see cref=\"global::System.Text.Json.JsonException\"/> on malformed JSON.");
                w.Open($"public static {name}? Read(string operationId, global::System.ReadOnlySpan<byte> json)");
                w.Open("switch (operationId)");
                foreach (var op in ops)
                    w.Line($"case {Naming.Literal(op.OperationId)}: return From{Naming.Pascal(op.OperationId)}({m}{op.RequestModel}.FromJson(json));");
                w.Line("default: return null;");
                w.Close();
                w.Close();
            }
            w.Close();
            w.Line();
        }
        return w.ToString().TrimEnd('\n') + "\n";
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
