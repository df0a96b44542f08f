using Newtonsoft.Json.Linq;
using SdApi.Spec.Tests.Support;
using SdApi.Tests.Shared;

namespace SdApi.Spec.Tests;

/// <summary>Every example the pages show is inlined in the spec, equals its copy under spec/examples, and validates
/// against the schema of the place it sits (request body, response, or webhook callback body).</summary>
public class ExampleTests
{
    /// <summary>(JSON pointer of the example, schema name, x-sdapi-example-file).</summary>
    private static IEnumerable<(string Pointer, string Schema, string File, JToken Value)> InlinedExamples()
    {
        foreach (var media in SpecFiles.Json.SelectTokens("$..['application/json']").OfType<JObject>())
        {
            if (media["examples"] is not JObject examples)
                continue;
            var schema = ((string)media["schema"]!["$ref"]!).Split('/')[^1];
            foreach (var example in examples.Properties())
                yield return (example.Value.Path, schema, (string)example.Value["x-sdapi-example-file"]!, example.Value["value"]!);
        }
    }

    public static TheoryData<string> ExamplePointers()
    {
        var data = new TheoryData<string>();
        foreach (var e in InlinedExamples())
            data.Add(e.Pointer);
        return data;
    }

    private static (string Pointer, string Schema, string File, JToken Value) Example(string pointer) =>
        InlinedExamples().Single(e => e.Pointer == pointer);

    [Theory]
    [MemberData(nameof(ExamplePointers))]
    public void Example_validates_against_its_schema(string pointer)
    {
        var (_, schema, _, value) = Example(pointer);
        var errors = SchemaValidation.Validate(schema, value);
        errors.Should().BeEmpty(SchemaValidation.Describe(errors));
    }

    [Theory]
    [MemberData(nameof(ExamplePointers))]
    public void Inlined_example_equals_its_file(string pointer)
    {
        var (_, _, file, value) = Example(pointer);
        file.Should().MatchRegex(@"^spec/examples/[A-Za-z0-9]+\.[a-z0-9-]+\.(request|response)\.json$");
        var onDisk = SpecFiles.ReadJsonToken(RepoPaths.Combine(file.Split('/')));
        JToken.DeepEquals(onDisk, value).Should().BeTrue($"{file} must equal the value inlined at {pointer}");
    }

    [Fact]
    public void Every_example_file_is_inlined_once()
    {
        var files = Directory.GetFiles(Path.Combine(RepoPaths.SpecDir, "examples"), "*.json")
            .Select(f => "spec/examples/" + Path.GetFileName(f)).Order().ToList();
        var referenced = InlinedExamples().Select(e => e.File).ToList();
        referenced.Should().OnlyHaveUniqueItems();
        referenced.Order().Should().Equal(files);
    }

    [Fact]
    public void Examples_cover_every_kind_of_outcome_and_the_webhook()
    {
        var all = InlinedExamples().ToList();
        all.Count.Should().BeGreaterThanOrEqualTo(50);
        foreach (var status in new[] { "success", "processing", "error", "failed" })
            all.Should().Contain(e => e.Schema == "Outcome" && (string?)e.Value["status"] == status, "an example shows status {0}", status);
        all.Should().Contain(e => e.Schema == "RateLimitResponse" && e.Value["retry_after"] != null);
        all.Should().Contain(e => e.Schema == "WebhookPayload");
        all.Should().Contain(e => e.Value["messege"] != null, "the misspelled messege occurs on the wire");
        all.Should().Contain(e => e.Value["meta"] != null && e.Value["meta"]!["safetychecker"] != null);
    }
}
