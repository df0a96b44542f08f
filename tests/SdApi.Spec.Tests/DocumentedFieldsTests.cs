using Newtonsoft.Json.Linq;
using SdApi.Spec.Tests.Support;

namespace SdApi.Spec.Tests;

/// <summary>Every body attribute each documentation page lists is a property of the request schema of that page's
/// operation(s), and the property's x-source cites the page. Reads the pages in ../shared.</summary>
public class DocumentedFieldsTests
{
    public static TheoryData<string> PageNames()
    {
        var data = new TheoryData<string>();
        foreach (var page in PageAttributes.Pages.Keys) data.Add(page);
        return data;
    }

    [Theory]
    [MemberData(nameof(PageNames))]
    public void Every_attribute_of_the_page_is_in_the_schema_and_cites_the_page(string page)
    {
        var attributes = PageAttributes.Read(page);
        attributes.Should().Contain("key").And.HaveCountGreaterThan(1, "the attribute table of {0} was read", page);
        var file = Path.GetFileName(page);
        foreach (var op in PageAttributes.Pages[page])
        {
            var properties = (JObject)SpecFiles.SchemaJson(SpecFiles.RequestSchemaName(op))["properties"]!;
            foreach (var name in attributes)
            {
                properties[name].Should().NotBeNull($"{page} documents {name} for {op}");
                ((string?)properties[name]!["x-source"]).Should().Contain(file, $"{op}.{name} cites {file}");
            }
        }
    }

    [Fact]
    public void Every_field_a_request_example_sends_is_documented()
    {
        foreach (var (id, path, method, _) in SpecFiles.Operations())
        {
            _ = id;
            var media = (JObject)SpecFiles.Json["paths"]![path]![method]!["requestBody"]!["content"]!["application/json"]!;
            var properties = (JObject)SpecFiles.SchemaJson(((string)media["schema"]!["$ref"]!).Split('/')[^1])["properties"]!;
            foreach (var example in (media["examples"] as JObject)?.Properties() ?? [])
                foreach (var member in ((JObject)example.Value["value"]!).Properties())
                    properties[member.Name].Should().NotBeNull($"{path} example {example.Name} sends {member.Name}");
        }
    }
}
