using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using SdApi.Generator.Diagnostics;
using SdApi.Generator.Emit;
using SdApi.Generator.Model;
using SdApi.Generator.Parsing;

namespace SdApi.Generator;

/// <summary>The pipeline: openapi.yaml (AdditionalFiles) -> Parse (NSwag, one step) -> equatable ApiSpec -> one emit
/// step per part, each combined with the MSBuild options. Nothing reads the compilation, so editing C# re-runs nothing.</summary>
[Generator(LanguageNames.CSharp)]
public sealed class SdApiGenerator : IIncrementalGenerator
{
    /// <summary>Tracked step names (tests assert which of these re-ran).</summary>
    public static class Steps
    {
        public const string SpecFile = "SdApi.SpecFile";
        public const string Parse = "SdApi.Parse";
        public const string Options = "SdApi.Options";
        public const string ModelUnits = "SdApi.ModelUnits";
        public const string Shared = "SdApi.EmitShared";
        public const string Models = "SdApi.EmitModels";
        public const string Json = "SdApi.EmitJson";
        public const string Validators = "SdApi.EmitValidators";
        public const string Defaults = "SdApi.EmitDefaults";
        public const string Client = "SdApi.EmitClient";
        public const string Server = "SdApi.EmitServer";
    }

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var options = context.AnalyzerConfigOptionsProvider
            .Select(static (provider, _) =>
            {
                provider.GlobalOptions.TryGetValue("build_property.SdApiEmit", out var emit);
                provider.GlobalOptions.TryGetValue("build_property.SdApiNamespace", out var ns);
                provider.GlobalOptions.TryGetValue("build_property.SdApiModelsNamespace", out var modelsNs);
                return GeneratorOptions.Parse(emit, ns, modelsNs);
            })
            .WithTrackingName(Steps.Options);

        var specFiles = context.AdditionalTextsProvider
            .Where(static file => string.Equals(Path.GetFileName(file.Path), "openapi.yaml", StringComparison.OrdinalIgnoreCase))
            .Select(static (file, ct) => new SpecText(file.Path, file.GetText(ct)?.ToString() ?? ""))
            .Collect()
            .WithTrackingName(Steps.SpecFile);

        var parsed = specFiles
            .Select(static (files, _) => ParseFirst(files))
            .WithTrackingName(Steps.Parse);

        context.RegisterSourceOutput(parsed.Combine(options), static (spc, pair) =>
        {
            foreach (var d in pair.Left.Diagnostics) spc.ReportDiagnostic(d.ToDiagnostic());
        });

        // Per model (like System.Text.Json's per-type steps): editing one schema re-emits that model's files only.
        var units = parsed.Combine(options)
            .SelectMany(static (pair, _) => pair.Left.Spec is { } spec
                ? spec.Models.Select(m => new ModelUnit(m, spec.Operations.Where(o => o.RequestModel == m.Name).Select(o => o.OperationId).ToEquatableArray(), pair.Right))
                : Enumerable.Empty<ModelUnit>())
            .WithTrackingName(Steps.ModelUnits);
        RegisterPerModel(context, units, Steps.Models, static u => u.Options.Models ? ModelEmitter.EmitOne(u) : null);
        RegisterPerModel(context, units, Steps.Json, static u => u.Options.Json ? JsonEmitter.EmitOne(u) : null);
        RegisterPerModel(context, units, Steps.Validators, static u => u.Options.Validators ? ValidatorEmitter.EmitOne(u) : null);
        RegisterPerModel(context, units, Steps.Defaults, static u => u.Options.Models ? DefaultsEmitter.EmitOne(u) : null);

        Register(context, parsed, options, Steps.Shared, static o => o.Models || o.Json || o.Validators, static (s, o) =>
            (o.Models ? ModelEmitter.EmitShared(s, o) : Enumerable.Empty<GeneratedSource>())
                .Concat(o.Json ? JsonEmitter.EmitShared(s, o) : Enumerable.Empty<GeneratedSource>())
                .Concat(o.Validators && o.Json ? OperationsEmitter.Emit(s, o) : Enumerable.Empty<GeneratedSource>()));
        Register(context, parsed, options, Steps.Client, static o => o.Client, ClientEmitter.Emit);
        Register(context, parsed, options, Steps.Server, static o => o.Server, ServerEmitter.Emit);
    }

    private static void Register(
        IncrementalGeneratorInitializationContext context,
        IncrementalValueProvider<ParseResult> parsed,
        IncrementalValueProvider<GeneratorOptions> options,
        string step,
        Func<GeneratorOptions, bool> enabled,
        Func<ApiSpec, GeneratorOptions, IEnumerable<GeneratedSource>> emit)
    {
        var sources = parsed.Combine(options)
            .Select((pair, _) => pair.Left.Spec is { } spec && enabled(pair.Right)
                ? emit(spec, pair.Right).ToEquatableArray()
                : EquatableArray<GeneratedSource>.Empty)
            .WithTrackingName(step);
        context.RegisterSourceOutput(sources, static (spc, files) =>
        {
            foreach (var file in files)
                spc.AddSource(file.HintName.Replace('/', '.'), SourceText.From(file.Text, Encoding.UTF8));
        });
    }

    private static void RegisterPerModel(
        IncrementalGeneratorInitializationContext context,
        IncrementalValuesProvider<ModelUnit> units,
        string step,
        Func<ModelUnit, GeneratedSource?> emit)
    {
        var sources = units.Select((unit, _) => emit(unit)).WithTrackingName(step);
        context.RegisterSourceOutput(sources, static (spc, file) =>
        {
            if (file is not null) spc.AddSource(file.HintName.Replace('/', '.'), SourceText.From(file.Text, Encoding.UTF8));
        });
    }

    private static ParseResult ParseFirst(System.Collections.Immutable.ImmutableArray<SpecText> files)
    {
        if (files.Length == 0)
        {
            return new ParseResult(null, new[]
            {
                new DiagnosticInfo(DiagnosticDescriptors.NoSpec.Id, "No openapi.yaml among AdditionalFiles; SdApi.Generator emits nothing (set SdApiSpecPath or add <AdditionalFiles Include=\"openapi.yaml\" />)", "", 0, 0, 0, 0),
            }.ToEquatableArray());
        }
        var first = files[0];
        var result = SpecParser.Parse(first.Path, first.Text);
        if (files.Length > 1)
        {
            var extra = new DiagnosticInfo(DiagnosticDescriptors.DuplicateSpec.Id, $"{files.Length} openapi.yaml files; using {first.Path}", files[1].Path, 0, 0, 0, 0);
            result = result with { Diagnostics = result.Diagnostics.Concat(new[] { extra }).ToEquatableArray() };
        }
        return result;
    }

    private sealed record SpecText(string Path, string Text);
}
