using System.Text.Json.Nodes;
using SdApi.Bindings;
using SdApi.Bindings.Json;
using SdApi.Generator.Tests.Infrastructure;
using SdApi.Tests.Shared;

namespace SdApi.Generator.Tests;

/// <summary>Every example in spec/examples reads into the generated types and writes back to equivalent JSON
/// (see <see cref="JsonEquivalence"/> for the documented normalizations).</summary>
public class RoundTripTests
{
    public static IEnumerable<object[]> Examples()
        => Directory.GetFiles(Path.Combine(RepoPaths.SpecDir, "examples"), "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal).Select(f => new object[] { f! });

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_reads_and_writes_back_equivalent_json(string file)
    {
        var bytes = File.ReadAllBytes(Path.Combine(RepoPaths.SpecDir, "examples", file));
        var operationId = file.Split('.')[0];
        IJsonWritable model;
        if (file.EndsWith(".request.json", StringComparison.Ordinal))
        {
            var operation = SdApiOperations.FindById(operationId);
            operation.Should().NotBeNull("the file name starts with an operationId");
            model = operation!.ReadRequest(bytes);
        }
        else
        {
            model = Outcome.FromJson(bytes);
        }
        var written = WireWriter.ToUtf8(model);
        var difference = JsonEquivalence.FirstDifference(JsonNode.Parse(bytes), JsonNode.Parse(written));
        difference.Should().BeNull($"{file} wrote {System.Text.Encoding.UTF8.GetString(written)}");
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_reads_without_wire_issues(string file)
    {
        var bytes = File.ReadAllBytes(Path.Combine(RepoPaths.SpecDir, "examples", file));
        if (file.EndsWith(".request.json", StringComparison.Ordinal))
        {
            var request = SdApiOperations.FindById(file.Split('.')[0])!.ReadRequest(bytes);
            request.GetType().GetProperty("WireIssues")!.GetValue(request).Should().BeNull();
        }
        else
        {
            var outcome = Outcome.FromJson(bytes);
            outcome.GetType().GetProperty("WireIssues")!.GetValue(outcome).Should().BeNull();
            var status = JsonNode.Parse(bytes)!["status"]?.GetValue<string>();
            if (status is not null) outcome.Kind.ToString().Should().BeEquivalentTo(status);
        }
    }

    [Fact]
    public void Writer_produces_the_documented_wire_form()
    {
        var request = new V6Text2ImgRequest
        {
            Key = "k", Prompt = "p", Width = 512, GuidanceScale = 7.5, SafetyChecker = false,
            LoraModel = ["a", "b"], LoraStrength = [0.45, 0.55],
        };
        var json = JsonNode.Parse(request.ToJson())!;
        json["width"]!.GetValueKind().Should().Be(System.Text.Json.JsonValueKind.Number);
        json["safety_checker"]!.GetValue<string>().Should().Be("no");
        json["lora_model"]!.GetValue<string>().Should().Be("a,b");
        json["lora_strength"]!.GetValue<string>().Should().Be("0.45,0.55");
        JsonNode.Parse((request with { LoraStrength = [1.0] }).ToJson())!["lora_strength"]!.GetValue<double>().Should().Be(1);
    }

    [Fact]
    public void Failed_outcome_keeps_its_empty_string_output_and_string_id()
    {
        var failed = Outcome.FromJson("""{"status":"failed","id":"","message":"Failed, Try Again","output":""}""");
        failed.Should().BeOfType<FailedResponse>().Which.Output.Should().BeEmpty();
        var node = JsonNode.Parse(failed.ToJson())!;
        node["output"]!.GetValue<string>().Should().BeEmpty();
        node["id"]!.GetValue<string>().Should().BeEmpty();
    }

    /// <summary>Every operation's catalog entry gives the API key of a request it read (what the in-process mock picks
    /// its keyed behaviours by), so no tool reads the key by a member name of its own.</summary>
    [Fact]
    public void Every_operation_reads_the_api_key_from_its_typed_request()
    {
        foreach (var operation in SdApiOperations.All)
        {
            var request = operation.ReadRequest("""{"key":"k-123","model_id":"m","prompt":"p","request_id":"7"}"""u8.ToArray());
            operation.ApiKey(request).Should().Be("k-123", operation.OperationId);
            operation.ApiKey(operation.ReadRequest("{}"u8.ToArray())).Should().BeNull(operation.OperationId);
        }
    }
}
