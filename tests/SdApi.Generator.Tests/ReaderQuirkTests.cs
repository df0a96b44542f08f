using SdApi.Bindings;
using SdApi.Bindings.Json;

namespace SdApi.Generator.Tests;

/// <summary>Every documented wire quirk reads (api-notes: numeric strings, yes/no, messege/message, message as object,
/// id int/string/"", output array/"").</summary>
public class ReaderQuirkTests
{
    [Fact]
    public void Numbers_as_strings_and_flags_in_any_case()
    {
        var r = V6Text2ImgRequest.FromJson("""{"width":"512","guidance_scale":"7.5","samples":2,"seed":null,"safety_checker":"NO","enhance_prompt":true,}""");
        r.Width.Should().Be(512);
        r.GuidanceScale.Should().Be(7.5);
        r.Samples.Should().Be(2);
        r.Seed.Should().BeNull();
        r.SafetyChecker.Should().BeFalse();
        r.WireIssues.Should().BeNull();
    }

    [Fact]
    public void Unconvertible_values_become_wire_issues_not_exceptions()
    {
        var r = V6Text2ImgRequest.FromJson("""{"key":"k","prompt":"p","width":"wide","safety_checker":"maybe","samples":1.5}""");
        r.WireIssues!.Select(i => i.Field).Should().BeEquivalentTo(["width", "safety_checker", "samples"]);
        var v = r.Validate();
        v.Errors.Keys.Should().Contain(["width", "safety_checker", "samples"]);
        v.Violations.Where(x => x.Field == "width").Should().OnlyContain(x => x.RuleId == "wire-type");
    }

    [Fact]
    public void Lora_lists_read_from_csv_and_numbers()
    {
        var r = V6Text2ImgRequest.FromJson("""{"lora_model":"a, b","lora_strength":"0.45,0.55"}""");
        r.LoraModel.Should().Equal("a", "b");
        r.LoraStrength.Should().Equal(0.45, 0.55);
        V6Text2ImgRequest.FromJson("""{"lora_strength":1}""").LoraStrength.Should().Equal(1.0);
    }

    [Fact]
    public void Messege_and_message_as_object()
    {
        var processing = Outcome.FromJson("""{"status":"processing","messege":"try again later.","output":"","eta":5}""").Should().BeOfType<ProcessingResponse>().Subject;
        processing.Message.Should().Be("try again later.");
        processing.Output.Should().BeSameAs(LinkList.EmptyString);
        var validation = Outcome.FromJson("""{"status":"error","message":{"width":["The width must be a number."]}}""").Should().BeOfType<ErrorResponse>().Subject;
        validation.Message.Should().BeNull();
        validation.FieldErrors!["width"].Should().Equal("The width must be a number.");
    }

    [Fact]
    public void Ids_as_int_string_or_empty()
    {
        var s = (SuccessResponse)Outcome.FromJson("""{"status":"success","id":123,"meta":{"id":"123","safetychecker":"no"}}""");
        s.Id!.Value.IsNumber.Should().BeTrue();
        s.Id.Value.TryGetInt64(out var id).Should().BeTrue();
        id.Should().Be(123);
        s.Meta!.Id!.Value.IsNumber.Should().BeFalse();
        ((FailedResponse)Outcome.FromJson("""{"status":"failed","id":""}""")).Id!.Value.IsEmpty.Should().BeTrue();
    }

    [Fact]
    public void Status_anywhere_and_in_any_case_selects_the_case()
    {
        Outcome.FromJson("""{"output":["a"],"meta":{"status":"x"},"status":"Success"}""").Kind.Should().Be(OutcomeKind.Success);
        Outcome.FromJson("""{"message":"Unauthenticated."}""").Should().BeOfType<ErrorResponse>();
    }

    [Fact]
    public void Malformed_json_throws_json_exception()
    {
        ((Action)(() => V6Text2ImgRequest.FromJson("{"))).Should().Throw<System.Text.Json.JsonException>();
        ((Action)(() => V6Text2ImgRequest.FromJson("[]"))).Should().Throw<System.Text.Json.JsonException>();
    }

    /// <summary>rules.md conflict row 30: the pages show a JSON boolean; a string flag, the API's habit, reads too.</summary>
    [Theory]
    [InlineData("false", false)]
    [InlineData("true", true)]
    [InlineData("\"no\"", false)]
    [InlineData("\"YES\"", true)]
    [InlineData("\"False\"", false)]
    [InlineData("\"1\"", true)]
    [InlineData("0", false)]
    [InlineData("\"\"", null)]
    [InlineData("null", null)]
    public void Nsfw_content_detected_reads_a_boolean_or_a_string_flag(string wire, bool? expected)
    {
        var outcome = Outcome.FromJson("{\"status\":\"success\",\"id\":1,\"output\":[],\"nsfw_content_detected\":" + wire + "}");
        outcome.Should().BeOfType<SuccessResponse>().Which.NsfwContentDetected.Should().Be(expected);
    }
}
