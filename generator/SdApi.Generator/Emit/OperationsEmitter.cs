using System.Collections.Generic;
using System.Linq;
using SdApi.Generator.Model;
using SdApi.Generator.Parsing;

namespace SdApi.Generator.Emit;

/// <summary>A catalog of the operations (id, tag, kind, path, a JSON validator) for tools such as <c>sdapi validate</c>.</summary>
internal static class OperationsEmitter
{
    public static IEnumerable<GeneratedSource> Emit(ApiSpec spec, GeneratorOptions options)
    {
        var m = options.ModelsNamespace == options.Namespace ? "" : "global::" + options.ModelsNamespace + ".";
        var w = new CodeWriter().Header(options.Namespace);
        w.Doc("Every operation of openapi.yaml, with a validator that reads a JSON body the way the server does.");
        w.Open("public static partial class SdApiOperations");
        w.Line("public static global::System.Collections.Generic.IReadOnlyList<global::SdApi.Bindings.SdApiOperation> All { get; } = new global::SdApi.Bindings.SdApiOperation[]");
        w.Line("{");
        foreach (var op in spec.Operations)
        {
            w.Line($"    new({Naming.Literal(op.OperationId)}, {Naming.Literal(op.Tag)}, {Naming.Literal(op.Kind)}, {Naming.Literal(op.Path)}, static json => {m}{op.RequestModel}.FromJson(json.Span), static json => {m}{op.RequestModel}.FromJson(json.Span).Validate())");
            var model = spec.Models.FirstOrDefault(x => x.Name == op.RequestModel);
            // Image fields (x-sdapi-kind: image) may carry base64 text, far longer than any other string: servers size
            // their per-field limits by this list instead of by field names.
            var images = (model?.Properties ?? default).Where(p => p.Kind == PropertyKind.Image).Select(p => Naming.Literal(p.JsonName)).ToList();
            // The body fields, so tools (sdapi generate's options) list them without reading the spec again.
            var fields = (model?.Properties ?? default).Select(p =>
                $"new({Naming.Literal(p.JsonName)}, {Naming.Literal(SpecParser.KindName(p.Kind))}, {Naming.Literal(p.Description?.Trim())})");
            // The API key (the request's secret string member): tools that pick a behaviour by key (the in-process mock)
            // take it from the typed request, not from a member name of their own.
            var key = (model?.Properties ?? default).FirstOrDefault(p => p.IsSecret && p.Kind == PropertyKind.String);
            w.Line("    {");
            if (key is not null) w.Line($"        ApiKey = static request => (({m}{op.RequestModel})request).{key.CSharpName},");
            if (images.Count > 0) w.Line("        ImageFields = new[] { " + string.Join(", ", images) + " },");
            w.Line($"        Fields = new global::SdApi.Bindings.SdApiField[] {{ {string.Join(", ", fields)} }},");
            w.Line("    },");
        }
        w.Line("};");
        w.Line();
        w.Doc("The operation whose path template matches <paramref name=\"path\"/> (e.g. <c>/api/v6/images/fetch/42</c>), or null.");
        w.Line("public static global::SdApi.Bindings.SdApiOperation? FindByPath(string path) => global::SdApi.Bindings.SdApiOperation.FindByPath(All, path);");
        w.Line();
        w.Line("public static global::SdApi.Bindings.SdApiOperation? FindById(string operationId) => global::SdApi.Bindings.SdApiOperation.FindById(All, operationId);");
        w.Close();
        yield return new GeneratedSource("SdApiOperations.g.cs", w.ToString());
    }
}
