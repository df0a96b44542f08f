using Newtonsoft.Json.Linq;
using NSwag;
using SdApi.Spec.Tests.Support;
using SdApi.Tests.Shared;

namespace SdApi.Spec.Tests;

/// <summary>openapi.yaml parses with NSwag and has the operations and conventions the generator and server rely on.</summary>
public class SpecShapeTests
{
    public static TheoryData<string, string, string, string> ExpectedOperations => new()
    {
        { "v4Text2Img", "/api/v4/dreambooth", "v4", "generate" },
        { "v4Img2Img", "/api/v4/dreambooth/img2img", "v4", "generate" },
        { "v4Inpaint", "/api/v4/dreambooth/inpaint", "v4", "generate" },
        { "v4Fetch", "/api/v4/dreambooth/fetch", "v4", "fetch" },
        { "v4FetchById", "/api/v4/dreambooth/fetch/{id}", "v4", "fetch" },
        { "v4ModelReload", "/api/v4/dreambooth/model_reload", "v4", "model-reload" },
        { "v6Text2Img", "/api/v6/images/text2img", "v6", "generate" },
        { "v6Img2Img", "/api/v6/images/img2img", "v6", "generate" },
        { "v6Inpaint", "/api/v6/images/inpaint", "v6", "generate" },
        { "v6Fetch", "/api/v6/images/fetch", "v6", "fetch" },
        { "v6FetchById", "/api/v6/images/fetch/{id}", "v6", "fetch" },
        { "v6ModelReload", "/api/v6/images/model_reload", "v6", "model-reload" },
        { "v3FetchById", "/api/v3/dreambooth/fetch/{id}", "v3", "fetch" },
    };

    [Fact]
    public async Task Spec_parses_with_NSwag_as_OpenAPI_3_0()
    {
        var doc = await OpenApiYamlDocument.FromFileAsync(RepoPaths.Spec);
        doc.OpenApi.Should().Be("3.0.3");
        doc.Operations.Should().HaveCount(13);
    }

    [Theory]
    [MemberData(nameof(ExpectedOperations))]
    public void Operation_is_a_POST_with_a_keyed_JSON_body(string operationId, string path, string tag, string kind)
    {
        SpecFiles.Document.Paths.Should().ContainKey(path);
        var item = SpecFiles.Document.Paths[path];
        item.Keys.Should().BeEquivalentTo(["post"]);
        var op = item["post"];
        op.OperationId.Should().Be(operationId);
        op.Tags.Should().BeEquivalentTo([tag]);
        op.ExtensionData.Should().ContainKey("x-sdapi-kind").WhoseValue.Should().Be(kind);

        var body = op.RequestBody!.Content["application/json"].Schema.ActualSchema;
        body.ActualProperties.Should().ContainKey("key");
        body.RequiredProperties.Should().Contain("key");
        if (path.EndsWith("{id}", StringComparison.Ordinal))
            op.ActualParameters.Should().ContainSingle(p => p.Name == "id" && p.Kind == OpenApiParameterKind.Path);
    }

    [Theory]
    [MemberData(nameof(ExpectedOperations))]
    public void Operation_answers_the_outcome_union_and_the_error_shapes(string operationId, string path, string tag, string kind)
    {
        _ = (path, tag);
        var op = SpecFiles.Operation(operationId);
        op.ActualResponses["200"].Content["application/json"].Schema.ActualSchema
            .Should().BeSameAs(SpecFiles.Document.Components.Schemas["Outcome"]);
        foreach (var code in new[] { "400", "401", "404", "413", "415", "500", "503" })
            op.ActualResponses[code].Content["application/json"].Schema.ActualSchema
                .Should().BeSameAs(SpecFiles.Document.Components.Schemas["ErrorResponse"], "HTTP {0} uses ErrorResponse", code);
        op.ActualResponses["429"].Content["application/json"].Schema.ActualSchema
            .Should().BeSameAs(SpecFiles.Document.Components.Schemas["RateLimitResponse"]);
        if (kind == "generate")
            op.Callbacks.Should().ContainKey("webhook");
        else
            (op.Callbacks ?? new Dictionary<string, OpenApiCallback>()).Should().BeEmpty();
    }

    [Fact]
    public void Outcome_is_a_discriminated_union_of_the_four_statuses()
    {
        var outcome = SpecFiles.SchemaJson("Outcome");
        ((bool?)outcome["x-sdapi-outcome"]).Should().BeTrue();
        outcome["discriminator"]!["propertyName"]!.Value<string>().Should().Be("status");
        ((JObject)outcome["discriminator"]!["mapping"]!).Properties().Select(p => p.Name)
            .Should().BeEquivalentTo(["success", "processing", "error", "failed"]);
    }

    [Theory]
    [InlineData("{\"status\":\"bogus\"}", false)]
    [InlineData("{\"status\":\"failed\",\"id\":\"\",\"message\":\"Failed, Try Again\",\"output\":\"\"}", true)]
    [InlineData("{\"status\":\"error\",\"message\":{\"width\":[\"The width must be a number.\"]}}", true)]
    [InlineData("{\"status\":\"error\",\"message\":{\"width\":\"not a list\"}}", false)]
    [InlineData("{\"status\":\"processing\",\"messege\":\"try again later.\",\"output\":\"\"}", true)]
    [InlineData("{\"status\":\"success\",\"id\":13441520,\"output\":\"not-empty-string\"}", false)]
    [InlineData("{\"status\":\"success\",\"id\":13441520,\"output\":[\"https://x/0.png\"],\"proxy_links\":\"\"}", true)]
    public void Outcome_accepts_the_wire_quirks_and_nothing_else(string json, bool valid)
    {
        var errors = SchemaValidation.Validate("Outcome", JToken.Parse(json));
        (errors.Count == 0).Should().Be(valid, SchemaValidation.Describe(errors));
    }

    [Fact]
    public void Every_request_property_has_description_source_and_kind()
    {
        var missing = new List<string>();
        foreach (var schema in ((JObject)SpecFiles.Json["components"]!["schemas"]!).Properties().Where(p => p.Name.EndsWith("Request", StringComparison.Ordinal)))
        {
            foreach (var prop in ((JObject)schema.Value["properties"]!).Properties())
            {
                foreach (var member in new[] { "description", "x-source", "x-sdapi-kind" })
                    if (string.IsNullOrWhiteSpace((string?)prop.Value[member]))
                        missing.Add($"{schema.Name}.{prop.Name}: {member}");
            }
        }
        missing.Should().BeEmpty();
    }

    [Fact]
    public void Scheduler_enum_lists_the_18_documented_schedulers()
    {
        foreach (var name in new[] { "V4Text2ImgRequest", "V4Img2ImgRequest", "V4InpaintRequest", "V6Text2ImgRequest", "V6Img2ImgRequest", "V6InpaintRequest" })
        {
            var values = SpecFiles.SchemaJson(name)["properties"]!["scheduler"]!["enum"]!.Values<string>().ToList();
            values.Should().HaveCount(18).And.OnlyHaveUniqueItems().And.Contain(["DDPMScheduler", "UniPCMultistepScheduler", "LCMScheduler"]);
        }
    }

    [Fact]
    public void Rule_ids_are_unique_and_name_a_property_of_their_schema()
    {
        var rules = SpecFiles.Rules().ToList();
        rules.Select(r => (string?)r.Rule["id"]).Should().OnlyHaveUniqueItems();
        foreach (var (schema, rule) in rules)
        {
            SpecFiles.SchemaJson(schema)["properties"]![(string)rule["field"]!]
                .Should().NotBeNull("rule {0} names a field of {1}", rule["id"], schema);
            if (rule["with"] is { } with)
                SpecFiles.SchemaJson(schema)["properties"]![(string)with!].Should().NotBeNull();
        }
    }

    [Fact]
    public void Fields_whose_pages_disagree_carry_the_decision()
    {
        foreach (var (schema, field) in new[] { ("V4Text2ImgRequest", "num_inference_steps"), ("V6Text2ImgRequest", "num_inference_steps"),
                                                ("V6InpaintRequest", "steps"), ("V4Text2ImgRequest", "upscale"), ("V6Text2ImgRequest", "width"),
                                                ("V4Text2ImgRequest", "width"), ("V6Text2ImgRequest", "lora_strength") })
            ((string?)SpecFiles.SchemaJson(schema)["properties"]![field]!["x-decision"]).Should().NotBeNullOrWhiteSpace($"{schema}.{field}");
    }
}
