using System.Net.Http.Headers;
using System.Text;
using SdApi.Server.Tests.Infrastructure;

namespace SdApi.Server.Tests;

/// <summary>Bytes no honest client sends still get the API's error shape, with the status and field they deserve.</summary>
public sealed class BadBytesTests
{
    private const string Head = "{\"key\":\"test-key\",\"prompt\":\"a red circle\",\"width\":\"256\",\"height\":\"256\",\"num_inference_steps\":\"2\",";

    public static TheoryData<string, string, int, string?> Bodies() => new()
    {
        // name, body (\xNN = one raw byte), expected status, field named (null: a message string)
        { "invalid UTF-8 in a string", Head + "\"model_id\":\"a\\xe2\\x82b\"}", 400, "model_id" },
        { "lone surrogate escaped", Head + "\"negative_prompt\":\"a\\\\ud83d\"}", 400, "negative_prompt" },
        { "lone low surrogate in an unknown member", Head + "\"extra\":\"\\\\udc00x\"}", 400, "extra" },
        { "NaN literal", Head + "\"guidance_scale\":NaN}", 400, "guidance_scale" },
        { "Infinity literal", Head + "\"strength\":-Infinity}", 400, "strength" },
        { "track_id beyond double range", Head + "\"track_id\":1e999}", 400, "track_id" },
        { "negative track_id beyond double range", Head + "\"track_id\":-1e999}", 400, "track_id" },
        { "strength beyond double range", Head + "\"strength\":1e999}", 400, "strength" },
        { "duplicate key", Head + "\"seed\":1,\"seed\":2}", 400, "seed" },
        { "depth 10,000", Head + "\"x\":" + new string('[', 10_000) + new string(']', 10_000) + "}", 400, "x" },
        { "array where the object belongs", "[{\"key\":\"test-key\"}]", 400, null },
        { "scalar where the object belongs", "42", 400, null },
        { "empty body", "", 400, null },
        { "whitespace body", "  \r\n ", 400, null },
        { "5 MB model_id", Head + "\"model_id\":\"" + new string('m', 5_000_000) + "\"}", 400, "model_id" },
        { "5 MB unknown member", Head + "\"whatever\":\"" + new string('w', 5_000_000) + "\"}", 400, "whatever" },
        { "5 MB webhook", Head + "\"webhook\":\"http://e.com/" + new string('w', 5_000_000) + "\"}", 400, "webhook" },
        { "over-long member name", Head + "\"" + new string('n', 100) + "\":1}", 400, null },
        { "too many members", Head + string.Concat(Enumerable.Range(0, 300).Select(i => $"\"u{i}\":1,")) + "\"z\":1}", 400, null },
        { "trailing garbage", Head + "\"seed\":1}xyz", 400, null },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task Every_bad_body_gets_the_api_error_shape_naming_the_field(string name, string body, int status, string? field)
    {
        await using var host = await ServerHost.StartAsync();
        foreach (var path in new[] { "/api/v6/images/text2img", "/api/v4/dreambooth" })
        {
            var answer = await PostBytesAsync(host, path, Raw(body), "application/json");
            answer.StatusCode.Should().Be(status, $"{name} on {path}: {answer.Text[..Math.Min(300, answer.Text.Length)]}");
            answer.ContentType.Should().Be("application/json");
            answer.Status.Should().Be("error");
            if (field is null)
                answer.Message.Should().NotBeNullOrWhiteSpace();
            else
                answer.Fields.Should().Equal([field], name);
            answer.Text.Length.Should().BeLessThan(2000, "a refusal never echoes the bad value");
        }
        var health = await host.Http.GetAsync("/health");
        health.IsSuccessStatusCode.Should().BeTrue();
    }

    [Theory]
    [InlineData(null, 400)]               // missing Content-Type is read as JSON: the empty body is what is refused
    [InlineData("text/plain", 415)]
    [InlineData("application/x-www-form-urlencoded", 415)]
    [InlineData("multipart/form-data; boundary=x", 415)]
    public async Task Content_type_is_checked_before_the_body(string? contentType, int status)
    {
        await using var host = await ServerHost.StartAsync();
        var answer = await PostBytesAsync(host, "/api/v6/images/fetch", [], contentType);
        answer.StatusCode.Should().Be(status, answer.Text);
        answer.Status.Should().Be("error");
    }

    [Fact]
    public async Task Body_over_the_limit_announced_by_content_length_is_refused_unread()
    {
        await using var host = await ServerHost.StartAsync(new Dictionary<string, string?> { ["SdApi:Limits:MaxRequestBodyBytes"] = "1000" });
        var answer = await PostBytesAsync(host, "/api/v6/images/text2img", Raw(Head + "\"p\":\"" + new string('a', 1500) + "\"}"), "application/json");
        answer.StatusCode.Should().Be(413, answer.Text);
        answer.Status.Should().Be("error");
    }

    [Fact]
    public async Task A_valid_request_with_non_ascii_text_and_a_surrogate_pair_still_runs()
    {
        await using var host = await ServerHost.StartAsync();
        var answer = await PostBytesAsync(host, "/api/v6/images/text2img", Raw(Head + "\"negative_prompt\":\"caf\\u00e9 \\\\ud83d\\\\ude00 \u00fc\",\"seed\":1}"), "application/json");
        answer.StatusCode.Should().Be(200, answer.Text);
        answer.Status.Should().BeOneOf("success", "processing");
    }

    [Fact]
    public async Task The_webhook_track_id_over_the_range_never_reaches_the_writer()
    {
        // 1e999 used to reach WireWriter.WriteId as an infinity and answer 500.
        await using var host = await ServerHost.StartAsync();
        var answer = await PostBytesAsync(host, "/api/v4/dreambooth/fetch/1", Raw("{\"key\":\"test-key\",\"track_id\":1e999}"), "application/json");
        answer.StatusCode.Should().Be(400, answer.Text);
        answer.Fields.Should().Equal("track_id");
    }

    /// <summary>"\xNN" in the text stands for one raw byte; everything else is UTF-8.</summary>
    internal static byte[] Raw(string text)
    {
        var bytes = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 3 < text.Length && text[i + 1] == 'x' && Uri.IsHexDigit(text[i + 2]) && Uri.IsHexDigit(text[i + 3]))
            {
                bytes.Add(Convert.ToByte(text.Substring(i + 2, 2), 16));
                i += 3;
            }
            else if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] == '\\')
            {
                bytes.Add((byte)'\\');
                i++;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(text[i].ToString()));
            }
        }
        return [.. bytes];
    }

    internal static async Task<ApiAnswer> PostBytesAsync(ServerHost host, string path, byte[] body, string? contentType)
    {
        using var content = new ByteArrayContent(body);
        if (contentType is not null) content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var response = await host.Http.PostAsync(path, content);
        return await ApiAnswer.ReadAsync(response);
    }
}
