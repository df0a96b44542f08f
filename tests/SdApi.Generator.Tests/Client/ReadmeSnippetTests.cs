using System.Text.RegularExpressions;
using System.Reflection;
using Microsoft.CodeAnalysis;
using SdApi.Generator.Tests.Infrastructure;
using SdApi.Tests.Shared;

namespace SdApi.Generator.Tests.Client;

/// <summary>The repository README's client example compiles against SdApi.Bindings as written: no <c>!</c>, no nullable
/// warning, no error.</summary>
public partial class ReadmeSnippetTests
{
    [GeneratedRegex("## Using the client from C#\\s+```csharp\\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex ClientBlock();

    [Fact]
    public void The_README_client_example_compiles_without_null_forgiving()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        var match = ClientBlock().Match(readme);
        match.Success.Should().BeTrue("README.md has the C# client block");
        var code = match.Groups["code"].Value;
        code.Should().NotContain("!.").And.NotContain("!)").And.NotContain("!;");

        // The block's usings go to the top of a file; its statements become the body of a method that has `key` and `ct`.
        var lines = code.Split('\n');
        var usings = lines.Where(l => l.StartsWith("using ", StringComparison.Ordinal)).ToList();
        var body = lines.Where(l => !l.StartsWith("using ", StringComparison.Ordinal));
        var source = string.Join('\n', usings) + "\nusing System;\nusing System.Threading;\n\npublic static class Readme\n{\n    public static async System.Threading.Tasks.Task RunAsync(string key, CancellationToken ct)\n    {\n"
            + string.Join('\n', body.Select(l => "        " + l)) + "\n    }\n}\n";

        var diagnostics = GeneratorHarness.Compilation(source).GetDiagnostics()
            .Where(d => d.Severity is DiagnosticSeverity.Error or DiagnosticSeverity.Warning).ToList();
        diagnostics.Should().BeEmpty(source);
    }

    [Theory]
    [InlineData("new SdApi.Bindings.V6Text2ImgRequest { Width = 512 }", "Prompt")]
    [InlineData("new SdApi.Bindings.V4InpaintRequest { InitImage = \"http://x/i.png\" }", "MaskImage")]
    [InlineData("new SdApi.Bindings.ModelReloadRequest()", "ModelId")]
    public void Members_the_spec_requires_must_be_set(string expression, string member)
    {
        var diagnostics = GeneratorHarness.Compilation($"public static class C {{ public static object Make() => {expression}; }}").GetDiagnostics();
        diagnostics.Should().Contain(d => d.Id == "CS9035" && d.GetMessage(null).Contains(member), "the spec lists it as required");
    }

    [Fact]
    public void Required_text_is_non_nullable_optional_fields_are_nullable_and_the_key_is_filled_by_the_client()
    {
        var context = new System.Reflection.NullabilityInfoContext();
        NullabilityState Of(string name) => context.Create(typeof(SdApi.Bindings.V6Text2ImgRequest).GetProperty(name)!).WriteState;
        Of("Prompt").Should().Be(System.Reflection.NullabilityState.NotNull);
        Of("NegativePrompt").Should().Be(System.Reflection.NullabilityState.Nullable);
        Of("Key").Should().Be(System.Reflection.NullabilityState.Nullable, "the client puts SdApiClientOptions.ApiKey in when it is missing");
        typeof(SdApi.Bindings.V6Text2ImgRequest).GetProperty("Key")!.GetCustomAttributes(false)
            .Should().NotContain(a => a.GetType().Name == "RequiredMemberAttribute");
    }
}
