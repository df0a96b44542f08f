using System.Net;
using System.Text;
using SdApi.Bindings;
using SdApi.Bindings.Http;

namespace SdApi.Generator.Tests;

/// <summary>What the client's reader does with bad bytes in an answer. Tolerant where the live API may send them (a PHP
/// server can cut a multibyte character or an emoji in half, repeat a key, print a huge number): the outcome is read,
/// the broken character becomes U+FFFD, the last repeated key wins, an out-of-range number is a wire issue. Not JSON
/// at all (NaN, nesting beyond 64, empty, an array): an <see cref="SdApiException"/> saying so, never another type.</summary>
public sealed class ResponseBadBytesTests
{
    private sealed class Handler(byte[] answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(answer) { Headers = { { "Content-Type", "application/json" } } } });
    }

    private static Task<Response<Outcome>> FetchAsync(byte[] answer) =>
        new SdApiClient(new HttpClient(new Handler(answer)), new SdApiClientOptions { BaseAddress = new Uri("http://sdapi.test/"), ApiKey = "k", MaxRetries = 0 })
            .V6.FetchAsync(new FetchRequest { RequestId = "1" });

    private static byte[] Bytes(string before, byte[] raw, string after) => [.. Encoding.UTF8.GetBytes(before), .. raw, .. Encoding.UTF8.GetBytes(after)];

    [Fact]
    public async Task Invalid_utf8_inside_a_string_reads_as_a_replacement_character()
    {
        var response = await FetchAsync(Bytes("""{"status":"success","id":1,"output":[],"meta":{"prompt":"caf""", [0xC3], """ x"}}"""));
        response.Value.Should().BeOfType<SuccessResponse>().Which.Meta!.Prompt.Should().Be("caf\uFFFD x");
    }

    [Theory]
    [InlineData("""{"status":"error","message":"cut \ud83d here"}""", "cut \uFFFD here")]
    [InlineData("""{"status":"error","message":"low \udc00"}""", "low \uFFFD")]
    [InlineData("""{"status":"error","message":"pair \ud83d\ude00 ok"}""", "pair \U0001F600 ok")]
    public async Task Unpaired_surrogate_escapes_read_as_a_replacement_character(string json, string message)
    {
        var response = await FetchAsync(Encoding.UTF8.GetBytes(json));
        response.Value.Should().BeOfType<ErrorResponse>().Which.Message.Should().Be(message);
    }

    [Fact]
    public async Task A_repeated_key_reads_its_last_value()
    {
        var response = await FetchAsync(Encoding.UTF8.GetBytes("""{"status":"success","generationTime":1,"generationTime":2.5,"output":[]}"""));
        response.Value.Should().BeOfType<SuccessResponse>().Which.GenerationTime.Should().Be(2.5);
    }

    [Fact]
    public async Task A_number_beyond_a_double_is_a_wire_issue_and_an_id_keeps_its_text()
    {
        var response = await FetchAsync(Encoding.UTF8.GetBytes("""{"status":"success","generationTime":1e999,"id":1e999,"output":[]}"""));
        var success = response.Value.Should().BeOfType<SuccessResponse>().Which;
        success.GenerationTime.Should().BeNull();
        success.WireIssues.Should().ContainSingle(i => i.Field == "generationTime");
        success.Id!.Value.Value.Should().Be("1e999");
        success.ToJson().Should().Contain("\"id\":\"1e999\"", "an id beyond a double is written back as text, not as an infinity");
    }

    [Theory]
    [InlineData("""{"status":"success","generationTime":NaN}""")]
    [InlineData("""{"status":"success","generationTime":Infinity}""")]
    [InlineData("")]
    [InlineData("[1,2]")]
    [InlineData("""{"status":"success",""")]
    public async Task Bytes_that_are_not_a_json_outcome_are_an_SdApiException(string json)
    {
        var act = () => FetchAsync(Encoding.UTF8.GetBytes(json));
        (await act.Should().ThrowAsync<SdApiException>()).Which.Message.Should().Contain("not a JSON outcome");
    }

    [Fact]
    public async Task Nesting_ten_thousand_deep_is_an_SdApiException()
    {
        var act = () => FetchAsync(Encoding.UTF8.GetBytes("{\"status\":\"success\",\"meta\":" + new string('[', 10_000) + new string(']', 10_000) + "}"));
        await act.Should().ThrowAsync<SdApiException>();
    }
}
