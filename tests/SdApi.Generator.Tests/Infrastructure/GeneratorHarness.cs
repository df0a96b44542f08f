using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using SdApi.Tests.Shared;

namespace SdApi.Generator.Tests.Infrastructure;

/// <summary>Runs SdApiGenerator in-process with CSharpGeneratorDriver (step tracking on) over a spec text.</summary>
internal static class GeneratorHarness
{
    public const string SpecPath = "/spec/openapi.yaml";

    public static string RealSpec => File.ReadAllText(RepoPaths.Spec);

    public static string MiniSpec => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestSpecs", "mini.yaml"));

    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest);

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        var tpa = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var self = Assembly.GetExecutingAssembly().Location;
        return tpa.Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) && !string.Equals(p, self, StringComparison.Ordinal))
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
    });

    public static Dictionary<string, string> Options(string emit, string ns = "Test.Api", string? modelsNs = null)
    {
        var options = new Dictionary<string, string>
        {
            ["build_property.SdApiEmit"] = emit,
            ["build_property.SdApiNamespace"] = ns,
        };
        if (modelsNs is not null) options["build_property.SdApiModelsNamespace"] = modelsNs;
        return options;
    }

    public static CSharpCompilation Compilation(params string[] sources)
        => CSharpCompilation.Create("GeneratorTest",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Source{i}.cs")),
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver Driver(string? spec, Dictionary<string, string> options) => Driver(spec, options, out _);

    public static GeneratorDriver Driver(string? spec, Dictionary<string, string> options, out AdditionalText? specText)
    {
        specText = spec is null ? null : new InMemoryText(SpecPath, spec);
        var texts = specText is null ? ImmutableArray<AdditionalText>.Empty : ImmutableArray.Create(specText);
        return CSharpGeneratorDriver.Create(
            new[] { new SdApiGenerator().AsSourceGenerator() },
            texts,
            ParseOptions,
            new OptionsProvider(options),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
    }

    /// <summary>Generates and compiles; returns the run result and the diagnostics of the compiled output.</summary>
    public static (GeneratorDriverRunResult Run, ImmutableArray<Diagnostic> CompileDiagnostics) Run(string? spec, Dictionary<string, string> options, params string[] sources)
    {
        var driver = Driver(spec, options).RunGeneratorsAndUpdateCompilation(Compilation(sources), out var output, out _);
        var compile = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error || d.Severity == DiagnosticSeverity.Warning).ToImmutableArray();
        return (driver.GetRunResult(), compile);
    }

    /// <summary>Runs shared by several tests (generating and compiling the real spec takes seconds).</summary>
    public static readonly Lazy<(GeneratorDriverRunResult Run, ImmutableArray<Diagnostic> Compile)> MiniAll =
        new(() => Run(MiniSpec, Options("Models,Json,Validators,Client,Server")));

    /// <summary>Every part from the real openapi.yaml (the golden files under Snapshots/openapi).</summary>
    public static readonly Lazy<(GeneratorDriverRunResult Run, ImmutableArray<Diagnostic> Compile)> RealAll =
        new(() => Run(RealSpec, Options("Models,Json,Validators,Client,Server")));

    public static readonly Lazy<(GeneratorDriverRunResult Run, ImmutableArray<Diagnostic> Compile)> RealClient =
        new(() => Run(RealSpec, Options("Models,Json,Validators,Client")));

    /// <summary>Generates without compiling.</summary>
    public static GeneratorDriverRunResult Generate(string spec, Dictionary<string, string> options)
        => Driver(spec, options).RunGenerators(Compilation()).GetRunResult();

    public static Dictionary<string, string> Sources(GeneratorDriverRunResult run)
        => run.Results.SelectMany(r => r.GeneratedSources).ToDictionary(s => s.HintName, s => s.SourceText.ToString());

    public static string AllSources(GeneratorDriverRunResult run)
        => string.Join("\n", Sources(run).OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Value));

    internal sealed class InMemoryText(string path, string text) : AdditionalText
    {
        private readonly SourceText _text = SourceText.From(text);
        public override string Path { get; } = path;
        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }

    internal sealed class OptionsProvider(Dictionary<string, string> global) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(global);
        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new Options(new Dictionary<string, string>());
        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => new Options(new Dictionary<string, string>());

        private sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
        }
    }
}
