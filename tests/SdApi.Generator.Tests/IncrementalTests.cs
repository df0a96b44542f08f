using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using SdApi.Generator.Tests.Infrastructure;
using Steps = SdApi.Generator.SdApiGenerator.Steps;

namespace SdApi.Generator.Tests;

/// <summary>The pipeline caches: a C# edit re-runs no parse or emit step; a spec edit re-runs them.</summary>
public class IncrementalTests
{
    private static readonly string[] ParseAndEmit = [Steps.Parse, Steps.ModelUnits, Steps.Models, Steps.Json, Steps.Validators, Steps.Shared, Steps.Client, Steps.Server];

    private static IEnumerable<IncrementalStepRunReason> Reasons(GeneratorDriver driver, string step)
        => driver.GetRunResult().Results.Single().TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason);

    private static (GeneratorDriver Driver, CSharpCompilation Compilation, AdditionalText Spec) FirstRun()
    {
        var compilation = GeneratorHarness.Compilation("public class A { }");
        var driver = GeneratorHarness.Driver(GeneratorHarness.MiniSpec, GeneratorHarness.Options("Models,Json,Validators,Client,Server"), out var spec);
        driver = driver.RunGenerators(compilation);
        foreach (var step in ParseAndEmit)
            Reasons(driver, step).Should().OnlyContain(r => r == IncrementalStepRunReason.New, step + " runs the first time");
        return (driver, compilation, spec!);
    }

    [Fact]
    public void Editing_an_unrelated_csharp_file_reruns_no_parse_or_emit_step()
    {
        var (driver, compilation, _) = FirstRun();
        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("public class B { public int X => 1; }", GeneratorHarness.ParseOptions));
        driver = driver.RunGenerators(edited);
        foreach (var step in ParseAndEmit)
            Reasons(driver, step).Should().OnlyContain(r => r == IncrementalStepRunReason.Cached, step + " must not re-run for a C# edit");
    }

    [Fact]
    public void Editing_the_spec_reruns_parse_and_emit()
    {
        var (driver, compilation, specText) = FirstRun();
        var before = GeneratorHarness.AllSources(driver.GetRunResult());
        var spec = GeneratorHarness.MiniSpec.Replace("max: 1024", "max: 2048", StringComparison.Ordinal);
        spec.Should().NotBe(GeneratorHarness.MiniSpec);
        driver = driver.ReplaceAdditionalText(specText, new GeneratorHarness.InMemoryText(GeneratorHarness.SpecPath, spec));
        driver = driver.RunGenerators(compilation);
        Reasons(driver, Steps.Parse).Should().OnlyContain(r => r == IncrementalStepRunReason.Modified);
        // Per-model steps: only the edited schema's validator changes; its model and JSON code re-run to the same text,
        // every other model is served from the cache.
        Reasons(driver, Steps.Validators).Count(r => r == IncrementalStepRunReason.Modified).Should().Be(1);
        Reasons(driver, Steps.Validators).Should().Contain(IncrementalStepRunReason.Cached);
        Reasons(driver, Steps.Models).Should().NotContain(IncrementalStepRunReason.Modified).And.Contain(IncrementalStepRunReason.Cached);
        Reasons(driver, Steps.Json).Should().NotContain(IncrementalStepRunReason.Modified);
        var after = GeneratorHarness.AllSources(driver.GetRunResult());
        after.Should().Contain("256d, 2048d").And.NotContain("256d, 1024d");
        before.Should().Contain("256d, 1024d");
    }

    [Fact]
    public void Changing_only_the_emit_option_reruns_emit_but_not_parse()
    {
        var (driver, compilation, _) = FirstRun();
        driver = driver.WithUpdatedAnalyzerConfigOptions(new GeneratorHarness.OptionsProvider(GeneratorHarness.Options("Models")));
        driver = driver.RunGenerators(compilation);
        Reasons(driver, Steps.Parse).Should().OnlyContain(r => r == IncrementalStepRunReason.Cached);
        Reasons(driver, Steps.Client).Should().OnlyContain(r => r == IncrementalStepRunReason.Modified);
        Reasons(driver, Steps.Models).Should().OnlyContain(r => r == IncrementalStepRunReason.Unchanged);
    }
}
