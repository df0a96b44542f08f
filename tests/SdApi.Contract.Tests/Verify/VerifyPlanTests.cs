using System.Text.Json.Nodes;
using System.Xml.Linq;
using SdApi.Contract.Mappings;
using SdApi.Contract.Tests.Harness;
using SdApi.Contract.Verify;

namespace SdApi.Contract.Tests.Verify;

public sealed class VerifyPlanTests
{
    private readonly VerifyPlan _plan = new(SpecFiles.Spec, "provider-key");

    [Fact]
    public void Examples_and_rows_use_the_providers_key_unless_a_row_tests_the_key()
    {
        _plan.Examples().Should().NotBeEmpty().And.OnlyContain(c => c.Body["key"]!.GetValue<string>() == "provider-key");
        var rows = _plan.EdgeRows(SpecFiles.Edges).ToList();
        rows.Should().HaveCount(SpecFiles.Edges.Rows.Count);
        var keyRow = SpecFiles.Edges.Rows.First(r => r.Patch.ContainsKey("key"));
        rows.Single(c => c.Name == keyRow.Id).Body.ToJsonString().Should().NotContain("provider-key");
        rows.Where(c => c.Expect == Expectation.Invalid).Should().OnlyContain(c => c.Field != null);
    }

    [Fact]
    public void Spec_derived_mappings_replay_one_request_per_distinct_body()
    {
        var cases = _plan.Mappings(new MappingGenerator(SpecFiles.Spec, edges: SpecFiles.Edges).All()).ToList();
        cases.Should().OnlyContain(c => c.Problem == null);
        cases.Select(c => c.OperationId).Distinct().Should().BeEquivalentTo(SpecFiles.Spec.Operations.Select(o => o.OperationId));
        cases.Where(c => c.Name.EndsWith(" success", StringComparison.Ordinal)).Should().OnlyContain(c => c.Expect == Expectation.NotInvalid);
    }

    [Fact]
    public void A_consumer_mapping_promises_what_its_answer_says()
    {
        var consumer = JsonNode.Parse("""
            {"name":"consumer: too many samples",
             "request":{"method":"POST","urlPath":"/api/v6/images/text2img",
                        "bodyPatterns":[{"equalToJson":"{\"key\":\"mine\",\"prompt\":\"cat\",\"samples\":9}"}]},
             "response":{"status":400,"jsonBody":{"status":"error","message":{"samples":["The maximum value is 4."]}}}}
            """)!.AsObject();
        var unknownPath = JsonNode.Parse("""{"name":"x","request":{"method":"POST","urlPath":"/api/v9/nothing","bodyPatterns":[{"equalToJson":"{}"}]},"response":{"status":200}}""")!.AsObject();

        var cases = _plan.Mappings([consumer, unknownPath]).ToList();

        cases[0].Expect.Should().Be(Expectation.Invalid);
        cases[0].Fields.Should().Equal("samples");
        cases[0].OperationId.Should().Be("v6Text2Img");
        cases[0].Body["key"]!.GetValue<string>().Should().Be("provider-key");
        cases[1].Problem.Should().Contain("/api/v9/nothing");
    }

    [Fact]
    public void JUnit_lists_every_case_with_its_failure()
    {
        var ok = new VerifyResult(new VerifyCase("examples", "a", "v4Text2Img", "/p", [], Expectation.NotInvalid, []), null, [], TimeSpan.FromMilliseconds(5));
        var bad = new VerifyResult(new VerifyCase("edge-values", "b", "v4Text2Img", "/p", [], Expectation.Invalid, ["width"]), null,
            ["expected the request to be refused naming 'width'"], TimeSpan.FromMilliseconds(7));
        var file = Path.Combine(Path.GetTempPath(), $"sdapi-junit-{Guid.NewGuid():N}.xml");
        try
        {
            JUnitWriter.Write([ok, bad], file);
            var xml = XDocument.Load(file);
            xml.Root!.Attribute("tests")!.Value.Should().Be("2");
            xml.Root.Attribute("failures")!.Value.Should().Be("1");
            xml.Descendants("testcase").Should().HaveCount(2);
            xml.Descendants("failure").Single().Attribute("message")!.Value.Should().Contain("width");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
