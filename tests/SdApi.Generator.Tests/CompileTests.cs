using Microsoft.CodeAnalysis;
using SdApi.Generator.Tests.Infrastructure;

namespace SdApi.Generator.Tests;

/// <summary>The emitted code compiles (no errors, no warnings) for the real spec and the test spec, in every part.</summary>
public class CompileTests
{
    // Microsoft.Extensions.DependencyInjection is imported on purpose: the compilation also references SdApi.Bindings,
    // whose own AddSdApiClient must not be in scope beside the one emitted into Test.Api (CS0121).
    private const string Usage = """
        using Microsoft.Extensions.DependencyInjection;
        using Test.Api;
        public static class Usage
        {
            public static IHttpClientBuilder Register(IServiceCollection services) => services.AddSdApiClient(o => o.ApiKey = "k");

            public static string Describe(Outcome outcome) => outcome switch
            {
                SuccessResponse s => "success " + s.Output?.Count,
                ProcessingResponse p => "processing " + p.Eta,
                ErrorResponse e => "error " + e.Message,
                FailedResponse f => "failed " + f.Message,
                _ => "unknown",
            };
        }
        """;

    [Theory]
    [InlineData("real")]
    [InlineData("mini")]
    public void Client_side_parts_compile_without_diagnostics(string spec)
    {
        var (run, compile) = spec == "real" ? GeneratorHarness.RealClient.Value : GeneratorHarness.MiniAll.Value;
        var (_, usage) = GeneratorHarness.Run(GeneratorHarness.MiniSpec, GeneratorHarness.Options("Models,Json,Validators,Client"), Usage);
        usage.Should().BeEmpty(string.Join("\n", usage.Take(10)));
        run.Diagnostics.Should().BeEmpty();
        compile.Should().BeEmpty(string.Join("\n", compile.Take(10)));
        GeneratorHarness.Sources(run).Keys.Should().Contain(["Client.SdApiClient.g.cs", "SdApiOperations.g.cs", "Models.Outcome.g.cs"]);
    }

    [Fact]
    public void Server_stubs_compile_against_the_models_of_SdApi_Bindings()
    {
        var (run, compile) = GeneratorHarness.Run(GeneratorHarness.RealSpec, GeneratorHarness.Options("Server", "Test.Server", "SdApi.Bindings"));
        run.Diagnostics.Should().BeEmpty();
        compile.Should().BeEmpty(string.Join("\n", compile.Take(10)));
        var sources = GeneratorHarness.Sources(run);
        sources.Keys.Should().BeEquivalentTo(["Server.ISdApiHandler.g.cs", "Server.SdApiKindHandler.g.cs", "Server.SdApiCalls.g.cs", "Server.SdApiEndpoints.g.cs", "Server.SdApiResponseWriter.g.cs"]);
        sources["Server.ISdApiHandler.g.cs"].Should().Contain("V6FetchByIdAsync(string id, global::SdApi.Bindings.FetchByIdRequest request");
        // The kind handler routes by x-sdapi-kind: one abstract method per kind of the spec, each with its typed call,
        // and fetch/{id} passes its id; nothing is handed on as object.
        var kinds = sources["Server.SdApiKindHandler.g.cs"];
        kinds.Should().Contain("HandleGenerateAsync(GenerateCall call").And.Contain("HandleFetchAsync(FetchCall call").And.Contain("HandleModelReloadAsync(ModelReloadCall call");
        kinds.Should().Contain("V6FetchByIdAsync(string id, global::SdApi.Bindings.FetchByIdRequest request")
            .And.Contain("HandleFetchAsync(FetchCall.FromV6FetchById(request, id)");
        kinds.Should().Contain("HandleGenerateAsync(GenerateCall.FromV4Text2Img(request)").And.NotContain("object");
        // The calls apply the spec's defaults through the models' generated WithSpecDefaults.
        var calls = sources["Server.SdApiCalls.g.cs"];
        calls.Should().Contain("public static GenerateCall FromV6Text2Img(global::SdApi.Bindings.V6Text2ImgRequest request)")
            .And.Contain("var r = request.WithSpecDefaults();")
            .And.Contain("public enum GenerateOperation");
    }

    [Fact]
    public void Emit_option_selects_the_parts()
    {
        var run = GeneratorHarness.Generate(GeneratorHarness.MiniSpec, GeneratorHarness.Options("Models"));
        GeneratorHarness.Sources(run).Keys.Should().OnlyContain(k => k.StartsWith("Models.", StringComparison.Ordinal));
        var none = GeneratorHarness.Generate(GeneratorHarness.MiniSpec, GeneratorHarness.Options("Server", "X"));
        GeneratorHarness.Sources(none).Keys.Should().OnlyContain(k => k.StartsWith("Server.", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Models,Json,Validators,Client")]
    [InlineData("Server")]
    public void Every_emitted_type_lives_in_the_namespace_option(string emit)
    {
        var run = GeneratorHarness.Generate(GeneratorHarness.MiniSpec, GeneratorHarness.Options(emit, "Custom.Space"));
        var sources = GeneratorHarness.Sources(run);
        sources.Should().NotBeEmpty();
        foreach (var (hint, source) in sources)
        {
            var namespaces = source.Split('\n').Where(l => l.StartsWith("namespace ", StringComparison.Ordinal)).ToList();
            namespaces.Should().Equal(["namespace Custom.Space;"], hint + " must not land in a fixed namespace");
        }
    }

    [Fact]
    public void A_client_emitted_into_its_own_namespace_sits_beside_the_one_of_SdApi_Bindings()
    {
        // The compilation references SdApi.Bindings (its client and AddSdApiClient); both importers must resolve.
        const string both = """
            using Microsoft.Extensions.DependencyInjection;
            public static class Mine
            {
                public static Consumer.Api.SdApiClient Get(System.IServiceProvider p) => p.GetRequiredService<Consumer.Api.SdApiClient>();
                public static IHttpClientBuilder Register(IServiceCollection services)
                {
                    Consumer.Api.SdApiServiceCollectionExtensions.AddSdApiClient(services);
                    return SdApi.Bindings.SdApiServiceCollectionExtensions.AddSdApiClient(services);
                }
            }
            namespace Consumer.App
            {
                using Consumer.Api;
                public static class Theirs { public static IHttpClientBuilder Register(IServiceCollection s) => s.AddSdApiClient(); }
            }
            namespace Bindings.App
            {
                using SdApi.Bindings;
                public static class Theirs { public static IHttpClientBuilder Register(IServiceCollection s) => s.AddSdApiClient(); }
            }
            """;
        var (run, compile) = GeneratorHarness.Run(GeneratorHarness.MiniSpec, GeneratorHarness.Options("Models,Json,Validators,Client", "Consumer.Api"), both);
        run.Diagnostics.Should().BeEmpty();
        compile.Should().BeEmpty(string.Join("\n", compile.Take(10)));
    }

    [Fact]
    public async Task Every_operation_gets_a_client_method_and_a_catalog_entry()
    {
        var (run, _) = GeneratorHarness.RealClient.Value;
        var all = GeneratorHarness.AllSources(run);
        var spec = await NSwag.OpenApiYamlDocument.FromYamlAsync(GeneratorHarness.RealSpec);
        foreach (var (path, item) in spec.Paths)
            foreach (var (_, op) in item)
            {
                all.Should().Contain($"\"{op.OperationId}\", \"{path}\"", "the catalog lists " + op.OperationId);
                all.Should().Contain($"_pipeline.SendAsync(\"{op.OperationId}\"", "the client calls " + op.OperationId);
                // The first check is also met by the client's SendAsync("id", "path") call; the catalog row itself is
                // new("id", "tag", "kind", "path", ...) in SdApiOperations.
                System.Text.RegularExpressions.Regex.IsMatch(all, $"new\\(\"{op.OperationId}\", \"[^\"]+\", \"[^\"]+\", \"{System.Text.RegularExpressions.Regex.Escape(path)}\",")
                    .Should().BeTrue("SdApiOperations has a catalog row for " + op.OperationId);
            }
    }
}
