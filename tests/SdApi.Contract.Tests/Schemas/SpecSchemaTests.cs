using System.Text.Json.Nodes;
using SdApi.Contract.Schemas;
using SdApi.Contract.Tests.Harness;

namespace SdApi.Contract.Tests.Schemas;

/// <summary>The derivation applied to the real openapi.yaml: the spec's own examples pass the derived schemas.</summary>
public sealed class SpecSchemaTests
{
    private static readonly SchemaDerivation Derivation = new(SpecFiles.Spec);
    private static readonly ResponseConformance Conformance = new(SpecFiles.Spec);

    [Theory]
    [MemberData(nameof(SpecFiles.OperationIds), MemberType = typeof(SpecFiles))]
    public void Request_schema_is_self_contained_JSON_Schema(string operationId)
    {
        var operation = SpecFiles.Spec.Operation(operationId);
        operation.RequestSchema.Should().NotBeNull();
        var schema = Derivation.Derive(operation.RequestSchema!);
        var text = schema.ToJsonString();
        text.Should().NotContain("\"x-").And.NotContain("\"nullable\"").And.NotContain("#/components/");
        foreach (var reference in Refs(schema))
            schema["definitions"]![reference["#/definitions/".Length..]].Should().NotBeNull(reference + " must resolve");
    }

    [Theory]
    [MemberData(nameof(SpecFiles.RequestExamples), MemberType = typeof(SpecFiles))]
    public async Task Request_example_passes_the_derived_request_schema(string operationId, string example)
    {
        var operation = SpecFiles.Spec.Operation(operationId);
        var body = operation.RequestExamples.Single(e => e.Name == example).Value!.DeepClone().AsObject();
        body["key"] = "test-key";
        var schema = await NJsonSchema.JsonSchema.FromJsonAsync(Derivation.Derive(operation.RequestSchema!).ToJsonString());
        schema.Validate(body.ToJsonString()).Select(e => e.ToString()).Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(SpecFiles.ResponseExamples), MemberType = typeof(SpecFiles))]
    public void Response_example_conforms_to_its_response_schema(string operationId, string status, string example)
    {
        var operation = SpecFiles.Spec.Operation(operationId);
        var value = operation.Responses[status].Examples.Single(e => e.Name == example).Value!;
        Conformance.Check(operation, int.Parse(status, System.Globalization.CultureInfo.InvariantCulture), value.ToJsonString())
            .Should().BeEmpty();
    }

    private static IEnumerable<string> Refs(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => p.Key == "$ref" ? [p.Value!.GetValue<string>()] : Refs(p.Value)),
        JsonArray a => a.SelectMany(Refs),
        _ => [],
    };
}
