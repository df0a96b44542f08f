using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using SdApi.Contract.Mappings;
using SdApi.Testing.Tests.Harness;
using SdApi.Tests.Shared;

namespace SdApi.Testing.Tests.Mock;

/// <summary>The mock answers with the bodies of the exported mappings: its embedded documented-responses.json must be
/// what MappingGenerator derives from the spec today, and its keys must be the mappings' keys.</summary>
public sealed class DocumentedResponsesTests
{
    private const string UpdateVariable = "SDAPI_UPDATE_MOCK_RESPONSES";
    private static readonly string FilePath = RepoPaths.Combine("src", "SdApi.Testing", "documented-responses.json");

    /// <summary>Mapping behaviour (metadata.sdapi.behaviour) -> the name the mock reads it by.</summary>
    private static readonly Dictionary<string, string> Behaviours = new(StringComparer.Ordinal)
    {
        ["success"] = "success",
        ["processing"] = "processing",
        ["polling (1/2: processing)"] = "processing",
        ["error"] = "error",
        ["failed"] = "failed",
        ["rate-limit always"] = "rate-limit",
        ["server-error (1/2: 503)"] = "server-error-503",
        ["server-error always"] = "server-error-500",
        ["bad-request"] = "bad-request",
    };

    [Fact]
    public void Embedded_answers_are_the_exported_mappings_answers()
    {
        var expected = Derive();
        var text = expected.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
            File.WriteAllText(FilePath, text);
        JsonNode.DeepEquals(JsonNode.Parse(File.ReadAllText(FilePath)), expected).Should().BeTrue(
            "src/SdApi.Testing/documented-responses.json must hold the mappings' answers; regenerate with {0}=1 dotnet test tests/SdApi.Testing.Tests --filter Embedded_answers",
            UpdateVariable);
        foreach (var operation in SpecFiles.Spec.Operations)
            foreach (var behaviour in Behaviours.Values.Distinct().Where(b => b != "processing" || operation.Kind is "generate" or "fetch"))
                expected[operation.OperationId]![behaviour].Should().NotBeNull($"{operation.OperationId} needs a '{behaviour}' answer");
    }

    [Fact]
    public void Mock_keys_are_the_exported_mappings_keys()
    {
        static IEnumerable<(string, string)> Constants(Type type) => type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => (f.Name, (string)f.GetRawConstantValue()!));
        Constants(typeof(SdApiMockKeys)).Should().BeEquivalentTo(Constants(typeof(MockKeys)));
        SdApiMockKeys.All.Should().BeEquivalentTo(Constants(typeof(MockKeys)).Select(c => c.Item2));
    }

    private static JsonObject Derive()
    {
        var all = new JsonObject();
        foreach (var mapping in new MappingGenerator(SpecFiles.Spec).All())
        {
            var sdapi = mapping["metadata"]!["sdapi"]!;
            if (!Behaviours.TryGetValue(sdapi["behaviour"]!.GetValue<string>(), out var name)) continue;
            var operationId = sdapi["operationId"]!.GetValue<string>();
            var operation = (JsonObject)(all[operationId] ??= new JsonObject());
            operation[name] = mapping["response"]!["jsonBody"]!.DeepClone();
        }
        return all;
    }
}
