using System.Text.Json.Nodes;
using SdApi.Contract.Schemas;
using SdApi.Contract.Spec;

namespace SdApi.Contract.Tests.Schemas;

/// <summary>The OpenAPI 3.0 -> JSON Schema draft 7 conversion on a small hand-written spec.</summary>
public sealed class SchemaDerivationTests
{
    private const string MiniSpec = """
        openapi: 3.0.3
        info: {title: t, version: '1'}
        paths: {}
        components:
          schemas:
            Request:
              type: object
              required: [key]
              x-sdapi-rules: [{id: r, field: key, check: required}]
              properties:
                key: {type: string, x-sdapi-kind: string}
                seed: {type: integer, format: int64, nullable: true}
                scheduler: {type: string, enum: [DDIM, PNDM], nullable: true}
                steps:
                  nullable: true
                  oneOf: [{type: integer, minimum: 1, maximum: 50}, {type: string, pattern: '^-?[0-9]+$'}]
                strength: {type: number, minimum: 0, exclusiveMinimum: true, maximum: 1}
                child: {$ref: '#/components/schemas/Child'}
            Child:
              type: object
              example: {name: x}
              properties:
                name: {type: string}
                next: {$ref: '#/components/schemas/Child'}
            Success:
              type: object
              properties: {status: {type: string}, output: {type: array, items: {type: string}}}
            Failure:
              type: object
              properties: {status: {type: string}, message: {type: string}}
            Outcome:
              oneOf: [{$ref: '#/components/schemas/Success'}, {$ref: '#/components/schemas/Failure'}]
              discriminator:
                propertyName: status
                mapping: {success: '#/components/schemas/Success', failed: '#/components/schemas/Failure'}
        """;

    private readonly SchemaDerivation _derivation = new(ContractSpec.Parse(MiniSpec));

    [Fact]
    public void Nullable_type_becomes_a_type_array_with_null()
    {
        var schema = _derivation.ForComponent("Request");
        schema["properties"]!["seed"]!["type"]!.ToJsonString().Should().Be("""["integer","null"]""");
        schema["properties"]!["seed"]!.AsObject().ContainsKey("nullable").Should().BeFalse();
    }

    [Fact]
    public void Nullable_enum_also_admits_null_as_a_value()
    {
        var schema = _derivation.ForComponent("Request");
        schema["properties"]!["scheduler"]!["enum"]!.ToJsonString().Should().Be("""["DDIM","PNDM",null]""");
    }

    [Fact]
    public void Nullable_without_type_is_wrapped_in_anyOf_with_null()
    {
        var steps = _derivation.ForComponent("Request")["properties"]!["steps"]!;
        steps["anyOf"]![1]!["type"]!.GetValue<string>().Should().Be("null");
        steps["anyOf"]![0]!["oneOf"]!.AsArray().Should().HaveCount(2);
    }

    [Fact]
    public void Extensions_examples_and_int_formats_are_dropped()
    {
        var text = _derivation.ForComponent("Request").ToJsonString();
        text.Should().NotContain("x-sdapi").And.NotContain("\"example\"").And.NotContain("int64");
    }

    [Fact]
    public void Boolean_exclusive_minimum_becomes_the_numeric_form()
    {
        var strength = _derivation.ForComponent("Request")["properties"]!["strength"]!;
        strength["exclusiveMinimum"]!.ToJsonString().Should().Be("0");
        strength.AsObject().ContainsKey("minimum").Should().BeFalse();
        strength["maximum"]!.ToJsonString().Should().Be("1");
    }

    [Fact]
    public void Refs_point_into_definitions_and_recursive_schemas_stay_finite()
    {
        var schema = _derivation.ForComponent("Request");
        schema["properties"]!["child"]!["$ref"]!.GetValue<string>().Should().Be("#/definitions/Child");
        schema["definitions"]!["Child"]!["properties"]!["next"]!["$ref"]!.GetValue<string>().Should().Be("#/definitions/Child");
        schema["definitions"]!.AsObject().Select(d => d.Key).Should().BeEquivalentTo(["Child", "Request"]);
        schema.ToJsonString().Should().NotContain("#/components/");
        schema["$schema"]!.GetValue<string>().Should().Be(SchemaDerivation.DraftUri);
    }

    [Fact]
    public void Discriminator_mapping_pins_the_property_in_each_branch()
    {
        var outcome = _derivation.ForComponent("Outcome");
        var first = outcome["oneOf"]![0]!["allOf"]!;
        first[0]!["$ref"]!.GetValue<string>().Should().Be("#/definitions/Success");
        first[1]!["properties"]!["status"]!["enum"]!.ToJsonString().Should().Be("""["success"]""");
        outcome["oneOf"]![1]!["allOf"]![1]!["properties"]!["status"]!["enum"]!.ToJsonString().Should().Be("""["failed"]""");
    }

    [Theory]
    [InlineData("""{"status":"success","output":["a.png"]}""", true)]
    [InlineData("""{"status":"failed","message":"Failed, Try Again"}""", true)]
    [InlineData("""{"status":"success","output":"a.png"}""", false)]
    [InlineData("""{"status":"unknown"}""", false)]
    public async Task Derived_schema_validates_with_NJsonSchema(string body, bool valid)
    {
        var schema = await NJsonSchema.JsonSchema.FromJsonAsync(_derivation.ForComponent("Outcome").ToJsonString());
        schema.Validate(body).Should().HaveCount(valid ? 0 : 1);
    }

    [Theory]
    [InlineData("""{"key":"k","seed":null,"steps":null,"scheduler":null}""", true)]
    [InlineData("""{"key":"k","seed":12,"steps":"31"}""", true)]
    [InlineData("""{"key":"k","steps":51}""", false)]
    [InlineData("""{"key":"k","strength":0}""", false)]
    [InlineData("""{"key":"k","child":{"next":{"name":3}}}""", false)]
    public async Task Nullable_and_refs_validate_as_OpenAPI_means_them(string body, bool valid)
    {
        var schema = await NJsonSchema.JsonSchema.FromJsonAsync(_derivation.ForComponent("Request").ToJsonString());
        schema.Validate(body).Should().HaveCount(valid ? 0 : 1);
    }
}
