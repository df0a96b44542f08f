using Microsoft.CodeAnalysis;
using SdApi.Generator.Tests.Infrastructure;

namespace SdApi.Generator.Tests;

/// <summary>A malformed spec or an unsupported construct is an SDAPI diagnostic at the openapi.yaml line, never an
/// exception or silently missing code.</summary>
public class DiagnosticTests
{
    private static Diagnostic Single(string spec, string id)
    {
        var run = GeneratorHarness.Generate(spec, GeneratorHarness.Options("Models,Json,Validators,Client"));
        run.Results.Should().OnlyContain(r => r.Exception == null);
        var d = run.Diagnostics.Should().ContainSingle(x => x.Id == id, string.Join("\n", run.Diagnostics)).Subject;
        d.Location.GetLineSpan().Path.Should().Be(GeneratorHarness.SpecPath);
        return d;
    }

    private static int LineOf(string spec, string text) => spec.Split('\n').ToList().FindIndex(l => l.Contains(text, StringComparison.Ordinal));

    private static string Replace(string spec, string from, string to)
    {
        spec.Should().Contain(from);
        var i = spec.IndexOf(from, StringComparison.Ordinal);
        return spec[..i] + to + spec[(i + from.Length)..];
    }

    [Fact]
    public void Malformed_yaml_is_SDAPI001_at_the_broken_line()
    {
        var spec = Replace(GeneratorHarness.MiniSpec, "      summary: Text to image\n", "      summary: [unclosed\n");
        var d = Single(spec, "SDAPI001");
        d.Severity.Should().Be(DiagnosticSeverity.Error);
        d.Location.GetLineSpan().StartLinePosition.Line.Should().BeInRange(LineOf(spec, "[unclosed"), LineOf(spec, "[unclosed") + 2);
    }

    [Fact]
    public void Unresolvable_ref_is_SDAPI001_at_the_line_naming_it()
    {
        var spec = Replace(GeneratorHarness.MiniSpec, "$ref: '#/components/schemas/FetchByIdRequest'", "$ref: '#/components/schemas/NoSuchRequest'");
        var d = Single(spec, "SDAPI001");
        d.Location.GetLineSpan().StartLinePosition.Line.Should().Be(LineOf(spec, "NoSuchRequest"));
    }

    [Fact]
    public void Unknown_property_kind_is_SDAPI006_at_the_kind()
    {
        var spec = Replace(GeneratorHarness.MiniSpec, "          x-sdapi-kind: id-list", "          x-sdapi-kind: idlist");
        var d = Single(spec, "SDAPI006");
        d.GetMessage().Should().Contain("lora_model").And.Contain("idlist");
        d.Location.GetLineSpan().StartLinePosition.Line.Should().Be(LineOf(spec, "x-sdapi-kind: idlist"));
    }

    [Fact]
    public void Unknown_rule_check_is_SDAPI007_at_the_check()
    {
        var spec = Replace(GeneratorHarness.MiniSpec, "          check: multiple-of", "          check: divisible");
        var d = Single(spec, "SDAPI007");
        d.GetMessage().Should().Contain("width-multiple");
        d.Location.GetLineSpan().StartLinePosition.Line.Should().Be(LineOf(spec, "check: divisible"));
    }

    [Fact]
    public void Rule_without_its_parameter_is_SDAPI007_at_the_rule()
    {
        var spec = Replace(GeneratorHarness.MiniSpec, "          check: range\n          min: 256\n          max: 1024\n", "          check: range\n");
        var d = Single(spec, "SDAPI007");
        d.GetMessage().Should().Contain("width-range").And.Contain("min or max");
        d.Location.GetLineSpan().StartLinePosition.Line.Should().Be(LineOf(spec, "id: width-range"));
    }

    [Fact]
    public void Rule_on_a_missing_field_is_SDAPI008_at_the_field()
    {
        var spec = Replace(GeneratorHarness.MiniSpec, "          field: guidance_scale", "          field: guidance");
        var d = Single(spec, "SDAPI008");
        d.GetMessage().Should().Contain("guidance");
        d.Location.GetLineSpan().StartLinePosition.Line.Should().Be(LineOf(spec, "field: guidance"));
    }

    [Fact]
    public void Non_post_operation_is_SDAPI003_at_the_method()
    {
        var spec = Replace(GeneratorHarness.MiniSpec, "  /api/v9/images/fetch/{id}:\n    post:", "  /api/v9/images/fetch/{id}:\n    get:");
        var d = Single(spec, "SDAPI003");
        d.Location.GetLineSpan().StartLinePosition.Line.Should().Be(LineOf(spec, "    get:"));
    }

    [Fact]
    public void Bad_operation_id_is_SDAPI004_and_missing_kind_SDAPI009()
    {
        var d = Single(Replace(GeneratorHarness.MiniSpec, "operationId: v9FetchById", "operationId: fetchById"), "SDAPI004");
        d.GetMessage().Should().Contain("fetchById");
        var spec = Replace(GeneratorHarness.MiniSpec, "      x-sdapi-kind: fetch\n", "      x-sdapi-kind: poll\n");
        Single(spec, "SDAPI009").Location.GetLineSpan().StartLinePosition.Line.Should().Be(LineOf(spec, "x-sdapi-kind: poll"));
    }

    [Fact]
    public void Inline_request_body_is_SDAPI005()
    {
        var spec = Replace(GeneratorHarness.MiniSpec, "              $ref: '#/components/schemas/FetchByIdRequest'", "              type: object");
        Single(spec, "SDAPI005");
    }

    [Fact]
    public void Unsupported_oneOf_schema_is_SDAPI013()
    {
        var spec = GeneratorHarness.MiniSpec + "    Choice:\n      oneOf:\n        - type: string\n        - type: integer\n";
        var d = Single(spec, "SDAPI013");
        d.Location.GetLineSpan().StartLinePosition.Line.Should().Be(LineOf(spec, "    Choice:"));
    }

    [Fact]
    public void A_spec_with_errors_emits_nothing_rather_than_part_of_the_code()
    {
        var spec = Replace(GeneratorHarness.MiniSpec, "          x-sdapi-kind: id-list", "          x-sdapi-kind: idlist");
        var run = GeneratorHarness.Generate(spec, GeneratorHarness.Options("Models,Json,Validators,Client"));
        run.GeneratedTrees.Should().BeEmpty();
    }

    [Fact]
    public void Missing_spec_is_a_warning_not_an_exception()
    {
        var run = GeneratorHarness.Driver(null, GeneratorHarness.Options("Models")).RunGenerators(GeneratorHarness.Compilation()).GetRunResult();
        run.Diagnostics.Should().ContainSingle(d => d.Id == "SDAPI002" && d.Severity == DiagnosticSeverity.Warning);
        run.GeneratedTrees.Should().BeEmpty();
    }

    [Fact]
    public void Empty_spec_is_SDAPI001()
    {
        Single("", "SDAPI001");
        Single("openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths: {}\n", "SDAPI001");
    }
}
