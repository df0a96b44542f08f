using System.Text.Json.Nodes;
using SdApi.Contract.Mappings;
using SdApi.Contract.Schemas;
using SdApi.Contract.Tests.Harness;

namespace SdApi.Contract.Tests.Mappings;

/// <summary>What the spec-derived stubs answer is itself valid per the spec (no WireMock needed).</summary>
public sealed class StubConformanceTests
{
    private static readonly IReadOnlyList<JsonObject> Stubs = new MappingGenerator(SpecFiles.Spec).All();
    private static readonly ResponseConformance Conformance = new(SpecFiles.Spec);

    /// <summary>Stubs that answer with a body (a fault drops the connection instead; see the fault test).</summary>
    public static TheoryData<string> StubNames()
    {
        var data = new TheoryData<string>();
        foreach (var stub in Stubs.Where(s => s["response"]!["fault"] is null)) data.Add(stub["name"]!.GetValue<string>());
        return data;
    }

    [Theory]
    [MemberData(nameof(StubNames))]
    public void Stub_answer_conforms_to_the_operation_response_schema(string name)
    {
        var stub = Stubs.Single(s => s["name"]!.GetValue<string>() == name);
        var response = stub["response"]!;
        var operation = SpecFiles.Spec.Operation(stub["metadata"]!["sdapi"]!["operationId"]!.GetValue<string>());
        // what WireMock's response templating renders
        var body = response["jsonBody"]!.ToJsonString().Replace("{{request.baseUrl}}", "http://127.0.0.1:8080", StringComparison.Ordinal);
        Conformance.Check(operation, response["status"]!.GetValue<int>(), body).Should().BeEmpty();
    }

    [Fact]
    public void Fault_stubs_drop_the_connection_once_then_the_scenario_answers_success()
    {
        var faults = Stubs.Where(s => s["response"]!["fault"] is not null).ToList();
        faults.Should().HaveCount(SpecFiles.Spec.Operations.Count, "one connection-reset stub per operation");
        foreach (var fault in faults)
        {
            fault["response"]!["fault"]!.GetValue<string>().Should().Be("CONNECTION_RESET_BY_PEER");
            var scenario = fault["scenarioName"]!.GetValue<string>();
            var next = fault["newScenarioState"]!.GetValue<string>();
            Stubs.Should().ContainSingle(s => s["scenarioName"] != null && s["scenarioName"]!.GetValue<string>() == scenario
                                              && s["requiredScenarioState"] != null && s["requiredScenarioState"]!.GetValue<string>() == next
                                              && s["response"]!["status"]!.GetValue<int>() == 200);
        }
    }

    [Fact]
    public void Every_operation_has_its_stubs_with_the_request_schema()
    {
        foreach (var operation in SpecFiles.Spec.Operations)
        {
            var stubs = Stubs.Where(s => s["metadata"]!["sdapi"]!["operationId"]!.GetValue<string>() == operation.OperationId).ToList();
            stubs.Should().NotBeEmpty();
            // every stub but the last-resort one (any other body: the API's error shape instead of a 404) checks the body
            stubs.Where(s => s["priority"]!.GetValue<int>() < 1000)
                .Should().OnlyContain(s => s["request"]!["bodyPatterns"]![0]!["matchesJsonSchema"] != null);
            stubs.Should().ContainSingle(s => s["priority"]!.GetValue<int>() == 1000 && s["request"]!["bodyPatterns"] == null);
            stubs.Select(s => s["metadata"]!["sdapi"]!["key"]?.GetValue<string>()).Should()
                .Contain([null, MockKeys.RateLimitOnce, MockKeys.ServerErrorOnce, MockKeys.ConnectionResetOnce, MockKeys.Error, MockKeys.Failed]);
        }
    }

    [Fact]
    public void Every_error_rule_is_in_the_success_schema_or_named_in_the_README()
    {
        var readme = File.ReadAllText(Path.Combine(SdApi.Tests.Shared.RepoPaths.Root, "src", "SdApi.Contract", "README.md"));
        var section = readme[readme.IndexOf("### What the mappings cannot say", StringComparison.Ordinal)..];
        var expressed = 0;
        foreach (var operation in SpecFiles.Spec.Operations)
        {
            var rules = RequestRules.For(SpecFiles.Spec, operation);
            foreach (var rule in MappingGenerator.NotExpressible(rules))
                section.Should().Contain($"`{rule.Check}`", $"{rule.Id} is not in the mappings, so the README must say so");
            expressed += rules.Rules.Count(r => r.IsError) - MappingGenerator.NotExpressible(rules).Count;
        }
        expressed.Should().BeGreaterThan(100);
    }

    [Fact]
    public void Export_writes_one_WireMock_file_per_stub_and_reads_back_the_same()
    {
        var dir = Path.Combine(Path.GetTempPath(), "sdapi-export-" + Guid.NewGuid().ToString("N"));
        try
        {
            var files = MappingExporter.Export(Stubs, dir);
            files.Should().HaveCount(Stubs.Count).And.OnlyContain(f => f.StartsWith(Path.Combine(dir, "mappings"), StringComparison.Ordinal));
            MappingExporter.Read(dir).Select(m => m.ToJsonString()).Should().BeEquivalentTo(Stubs.Select(s => s.ToJsonString()));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
