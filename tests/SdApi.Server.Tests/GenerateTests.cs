using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using System.Text.Json;
using System.Text.Json.Nodes;
using SdApi.Server.Tests.Infrastructure;

namespace SdApi.Server.Tests;

/// <summary>text2img / img2img / inpaint over HTTP: the success path (within the sync budget), the processing path,
/// both fetch forms, output links, base64 in and out, temp links.</summary>
public sealed class GenerateTests
{
    private static readonly Dictionary<string, string?> Slow = new() { ["SdApi:Jobs:SyncBudget"] = "00:00:00" };

    [Theory]
    [InlineData("/api/v4/dreambooth")]
    [InlineData("/api/v6/images/text2img")]
    public async Task Text2img_within_budget_answers_success_with_downloadable_png_outputs(string path)
    {
        await using var host = await ServerHost.StartAsync();
        var answer = await host.PostAsync(path, Bodies.Text2Img(samples: 2));

        answer.StatusCode.Should().Be(200, answer.Text);
        answer.Status.Should().Be("success");
        answer.Body.GetProperty("id").ValueKind.Should().Be(JsonValueKind.Number);
        answer.Body.GetProperty("meta").GetProperty("id").ValueKind.Should().Be(JsonValueKind.String);
        answer.Body.GetProperty("meta").GetProperty("W").GetInt32().Should().Be(256);
        answer.Body.GetProperty("meta").TryGetProperty("key", out _).Should().BeFalse("the key is never echoed");
        answer.Body.GetProperty("meta").GetProperty("scheduler").GetString().Should().NotBeNullOrEmpty("meta names the scheduler the engine ran");
        answer.Body.GetProperty("nsfw_content_detected").GetBoolean().Should().BeFalse();
        var outputs = answer.Body.GetProperty("output").EnumerateArray().Select(o => o.GetString()!).ToList();
        outputs.Should().HaveCount(2);
        foreach (var url in outputs)
        {
            url.Should().StartWith(host.BaseAddress.ToString().TrimEnd('/') + "/generations/").And.EndWith(".png");
            var png = await host.Http.GetByteArrayAsync(url);
            png.AsSpan(0, 8).ToArray().Should().Equal(0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A);
        }
    }

    [Fact]
    public async Task The_engines_safety_verdict_is_reported_as_nsfw_content_detected()
    {
        await using var host = await ServerHost.StartAsync();
        var answer = await host.PostAsync("/api/v6/images/text2img",
            Bodies.Text2Img().With("prompt", "a nude statue").With("safety_checker", "yes"));
        answer.Status.Should().Be("success", answer.Text);
        answer.Body.GetProperty("nsfw_content_detected").GetBoolean().Should().BeTrue();

        // and not a constant: a harmless prompt through the same checker is not flagged
        var harmless = await host.PostAsync("/api/v6/images/text2img", Bodies.Text2Img().With("safety_checker", "yes"));
        harmless.Status.Should().Be("success", harmless.Text);
        harmless.Body.GetProperty("nsfw_content_detected").GetBoolean().Should().BeFalse(harmless.Text);
    }

    [Fact]
    public async Task Slow_job_answers_processing_then_both_fetch_forms_return_success()
    {
        await using var host = await ServerHost.StartAsync(Slow);
        var accepted = await host.PostAsync("/api/v6/images/text2img", Bodies.Text2Img());

        accepted.Status.Should().Be("processing", accepted.Text);
        var id = accepted.Body.GetProperty("id").GetInt64();
        accepted.Body.GetProperty("output").GetArrayLength().Should().Be(0);
        accepted.Body.GetProperty("messege").GetString().Should().NotBeNullOrEmpty();
        accepted.Body.GetProperty("eta").GetDouble().Should().BePositive();
        var fetchResult = accepted.Body.GetProperty("fetch_result").GetString()!;
        fetchResult.Should().EndWith($"/api/v6/images/fetch/{id}");
        var futureLinks = accepted.Body.GetProperty("future_links").EnumerateArray().Select(e => e.GetString()).ToList();
        futureLinks.Should().ContainSingle();

        var byId = await Bodies.FetchWhenDoneAsync(host, new Uri(fetchResult).AbsolutePath, new JsonObject { ["key"] = ServerHost.Key });
        byId.Status.Should().Be("success", byId.Text);
        byId.Body.GetProperty("id").GetInt64().Should().Be(id);
        byId.Body.GetProperty("output").EnumerateArray().Select(e => e.GetString()).Should().Equal(futureLinks);

        foreach (var path in new[] { "/api/v4/dreambooth/fetch", "/api/v6/images/fetch" })
        {
            var byBody = await host.PostAsync(path, new { key = ServerHost.Key, request_id = id.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            byBody.Status.Should().Be("success", byBody.Text);
            byBody.Body.GetProperty("output").EnumerateArray().Select(e => e.GetString()).Should().Equal(futureLinks);
        }
        foreach (var path in new[] { $"/api/v3/dreambooth/fetch/{id}", $"/api/v4/dreambooth/fetch/{id}" })
            (await host.PostAsync(path, new { key = ServerHost.Key })).Status.Should().Be("success");
    }

    [Fact]
    public async Task Fetch_while_queued_answers_processing_with_empty_string_output()
    {
        var gate = new GatedGenerator();
        await using var host = await ServerHost.StartAsync(Slow, gate.Install);
        await host.PostAsync("/api/v4/dreambooth", Bodies.Text2Img());
        var second = await host.PostAsync("/api/v4/dreambooth", Bodies.Text2Img());
        var id = second.Body.GetProperty("id").GetInt64();
        second.Body.GetProperty("fetch_result").GetString().Should().EndWith($"/api/v4/dreambooth/fetch/{id}");

        var fetched = await host.PostAsync("/api/v4/dreambooth/fetch", new { key = ServerHost.Key, request_id = id });

        fetched.Status.Should().Be("processing", fetched.Text);
        fetched.Body.GetProperty("output").GetString().Should().Be("");
        fetched.Body.GetProperty("messege").GetString().Should().Be("try again later.");
        gate.Open();
        (await Bodies.FetchWhenDoneAsync(host, $"/api/v4/dreambooth/fetch/{id}", new JsonObject { ["key"] = ServerHost.Key }))
            .Status.Should().Be("success");
    }

    [Fact]
    public async Task Fetch_of_unknown_id_or_another_keys_job_is_not_found()
    {
        await using var host = await ServerHost.StartAsync(new Dictionary<string, string?> { ["SdApi:Keys:1"] = "other-key" });
        var mine = await host.PostAsync("/api/v6/images/text2img", Bodies.Text2Img());
        var id = mine.Body.GetProperty("id").GetInt64();

        (await host.PostAsync($"/api/v6/images/fetch/{id}", new { key = "other-key" })).StatusCode.Should().Be(404);
        var unknown = await host.PostAsync("/api/v6/images/fetch/999999", new { key = ServerHost.Key });
        unknown.StatusCode.Should().Be(404);
        unknown.Status.Should().Be("error");
        (await host.PostAsync("/api/v6/images/fetch", new { key = ServerHost.Key, request_id = "abc" })).StatusCode.Should().Be(404);
    }

    [Fact]
    public async Task Base64_yes_decodes_inline_init_image_and_serves_base64_outputs()
    {
        await using var host = await ServerHost.StartAsync();
        var body = Bodies.Text2Img()
            .With("init_image", Convert.ToBase64String(Receiver.Png))
            .With("base64", "yes")
            .With("strength", 0.5);

        var answer = await host.PostAsync("/api/v6/images/img2img", body);

        answer.Status.Should().Be("success", answer.Text);
        var url = answer.Body.GetProperty("output")[0].GetString()!;
        url.Should().EndWith(".base64");
        var text = await host.Http.GetStringAsync(url);
        var png = Convert.FromBase64String(text);
        png.AsSpan(1, 3).ToArray().Should().Equal((byte)'P', (byte)'N', (byte)'G');
        answer.Body.GetProperty("meta").GetProperty("init_image").GetString().Should().NotContain(Convert.ToBase64String(Receiver.Png)[..40]);
    }

    [Theory]
    [InlineData("/api/v6/images/img2img")]
    [InlineData("/api/v6/images/inpaint")]
    public async Task Img2img_and_inpaint_report_the_size_generated_from_the_init_image(string path)
    {
        await using var host = await ServerHost.StartAsync();
        // 100x60 is not a multiple of 8: the engine draws 96x56 whatever width/height (256) the request names
        var image = Convert.ToBase64String(SolidPng(100, 60, 200));
        var body = Bodies.Text2Img().With("init_image", image).With("base64", "yes").With("strength", 0.5);
        if (path.EndsWith("inpaint", StringComparison.Ordinal))
            body.With("mask_image", Convert.ToBase64String(SolidPng(100, 60, 255)));

        var answer = await host.PostAsync(path, body);

        answer.Status.Should().Be("success", answer.Text);
        var png = Convert.FromBase64String(await host.Http.GetStringAsync(answer.Body.GetProperty("output")[0].GetString()));
        var (width, height) = (ReadBigEndian(png, 16), ReadBigEndian(png, 20)); // IHDR
        (width, height).Should().Be((96, 56));
        answer.Body.GetProperty("meta").GetProperty("W").GetInt32().Should().Be(width);
        answer.Body.GetProperty("meta").GetProperty("H").GetInt32().Should().Be(height);
    }

    private static byte[] SolidPng(int width, int height, byte value)
    {
        var rgb = new byte[width * height * 3];
        Array.Fill(rgb, value);
        return SdApi.Engine.Imaging.PngEncoder.Encode(new SdApi.Engine.Imaging.RgbImage(width, height, 3, rgb));
    }

    private static int ReadBigEndian(byte[] data, int offset) => System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(offset, 4));

    [Fact]
    public async Task Invalid_base64_init_image_is_a_field_error()
    {
        await using var host = await ServerHost.StartAsync();
        var answer = await host.PostAsync("/api/v6/images/img2img",
            Bodies.Text2Img().With("init_image", "%%%not-base64%%%").With("base64", "yes"));

        answer.StatusCode.Should().Be(400, answer.Text);
        answer.Fields.Should().Contain("init_image");
    }

    [Fact]
    public async Task Img2img_and_inpaint_fetch_url_images_from_an_allowed_host()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var host = await ServerHost.StartAsync(new Dictionary<string, string?> { ["SdApi:UrlFetch:AllowedHosts:0"] = "127.0.0.1" });

        var img2img = await host.PostAsync("/api/v4/dreambooth/img2img",
            Bodies.Text2Img().With("init_image", receiver.Url("image.png")).With("strength", 0.6));
        var inpaint = await host.PostAsync("/api/v6/images/inpaint",
            Bodies.Text2Img().Without("num_inference_steps").With("steps", "2")
                .With("init_image", receiver.Url("image.png")).With("mask_image", receiver.Url("image.png")));

        img2img.Status.Should().Be("success", img2img.Text);
        inpaint.Status.Should().Be("success", inpaint.Text);
        receiver.ImageRequests.Should().Be(3);
    }

    [Fact]
    public async Task Temp_links_are_served_under_temp_until_they_expire()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await ServerHost.StartAsync(new Dictionary<string, string?> { ["SdApi:Jobs:TempLinkLifetime"] = "00:00:04" },
            services => services.AddSingleton<TimeProvider>(time));
        var answer = await host.PostAsync("/api/v6/images/text2img", Bodies.Text2Img().With("temp", "yes"));
        var url = answer.Body.GetProperty("output")[0].GetString()!;
        url.Should().Contain("/temp/");

        (await host.Http.GetAsync(url)).StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
        (await host.Http.GetAsync(url.Replace("/temp/", "/generations/", StringComparison.Ordinal))).StatusCode
            .Should().Be(System.Net.HttpStatusCode.NotFound);
        time.Advance(TimeSpan.FromSeconds(3.9));
        (await host.Http.GetAsync(url)).StatusCode.Should().Be(System.Net.HttpStatusCode.OK, "0.1 s of the 4 s lifetime is left");
        time.Advance(TimeSpan.FromSeconds(0.2));
        var expired = await host.Http.GetAsync(url);
        ((int)expired.StatusCode).Should().Be(410);
    }
}
