using SdApi.Generator.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace SdApi.Generator.Tests;

/// <summary>Regenerating from modified copies of openapi.yaml changes the emitted code accordingly (and it still compiles).</summary>
public class RegenerationTests
{
    private static readonly Lazy<string> Original = new(() => new SpecEditor(GeneratorHarness.RealSpec).ToString());
    private static readonly Lazy<string> Before = new(() => GeneratorHarness.AllSources(GeneratorHarness.Generate(Original.Value, GeneratorHarness.Options("Models,Json,Validators,Client"))));

    /// <summary>The spec before (re-serialized the same way) and after the edit; the edited output must also compile.</summary>
    private static (string Before, string After) Regenerate(Action<SpecEditor> edit, bool compile = false)
    {
        var edited = new SpecEditor(GeneratorHarness.RealSpec);
        edit(edited);
        var spec = edited.ToString();
        spec.Should().NotBe(Original.Value, "the edit must change the spec");
        var options = GeneratorHarness.Options("Models,Json,Validators,Client");
        var (run, diagnostics) = compile ? GeneratorHarness.Run(spec, options) : (GeneratorHarness.Generate(spec, options), default);
        run.Diagnostics.Should().BeEmpty(string.Join("\n", run.Diagnostics));
        if (compile) diagnostics.Should().BeEmpty(string.Join("\n", diagnostics.Take(5)));
        return (Before.Value, GeneratorHarness.AllSources(run));
    }

    [Fact]
    public void A_field_added_appears_in_model_reader_and_writer()
    {
        var (before, after) = Regenerate(spec =>
            spec.Map("components", "schemas", "V6Text2ImgRequest", "properties").Add("sharpness_boost",
                SpecEditor.Parse("type: string\nx-sdapi-kind: yes-no\nenum: ['yes', 'no']\ndescription: test field")));
        before.Should().NotContain("SharpnessBoost");
        after.Should().Contain("public bool? SharpnessBoost { get; init; }")
            .And.Contain("SequenceEqual(name, \"sharpness_boost\"u8)")
            .And.Contain("JsonEncodedText.Encode(\"sharpness_boost\")");
    }

    [Fact]
    public void A_maximum_changed_changes_the_validator()
    {
        const string rule = "samples-v6-text2img";
        var (before, after) = Regenerate(spec =>
        {
            var rules = (YamlSequenceNode)spec.Map("components", "schemas", "V6Text2ImgRequest").Children[new YamlScalarNode("x-sdapi-rules")];
            var samples = rules.Children.Cast<YamlMappingNode>().Single(r => ((YamlScalarNode)r.Children[new YamlScalarNode("id")]).Value == rule);
            samples.Children[new YamlScalarNode("max")] = new YamlScalarNode("9");
        });
        string Check(string all) => all.Split('\n').SkipWhile(l => !l.Contains("// " + rule + ":", StringComparison.Ordinal)).Skip(1).First();
        Check(before).Should().Contain("InRange(__Samples, 1d, 4d)");
        Check(after).Should().Contain("InRange(__Samples, 1d, 9d)");
    }

    [Fact]
    public void An_enum_value_removed_disappears_from_the_enum()
    {
        var (before, after) = Regenerate(spec =>
        {
            foreach (var seq in spec.All().OfType<YamlSequenceNode>().ToList())
            {
                var lcm = seq.Children.OfType<YamlScalarNode>().Where(s => s.Value == "LCMScheduler").ToList();
                foreach (var item in lcm) seq.Children.Remove(item);
            }
        });
        before.Should().Contain("public static Scheduler LCMScheduler");
        after.Should().NotContain("LCMScheduler").And.NotContain("\"LCMScheduler\"");
        after.Should().Contain("public static Scheduler DDIMScheduler");
    }

    [Fact]
    public void An_operation_added_gets_a_client_method_and_catalog_entry()
    {
        var (before, after) = Regenerate(spec =>
        {
            var paths = spec.Map("paths");
            var copy = SpecEditor.Parse(new SpecEditor(GeneratorHarness.RealSpec).ToString());
            var reload = (YamlMappingNode)((YamlMappingNode)copy.Children[new YamlScalarNode("paths")]).Children[new YamlScalarNode("/api/v6/images/model_reload")];
            ((YamlMappingNode)reload.Children[new YamlScalarNode("post")]).Children[new YamlScalarNode("operationId")] = new YamlScalarNode("v6ModelWarmup");
            paths.Add("/api/v6/images/model_warmup", reload);
        }, compile: true);
        before.Should().NotContain("ModelWarmup");
        after.Should().Contain("ModelWarmupAsync(").And.Contain("\"v6ModelWarmup\", \"v6\", \"model-reload\", \"/api/v6/images/model_warmup\"");
    }
}
