using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SdApi.Server.Configuration;
using SdApi.Server.Net;
using SdApi.Server.Tests.Infrastructure;

namespace SdApi.Server.Tests;

/// <summary>One server with the default URL policy and one receiver on 127.0.0.1, shared by the SSRF tests.</summary>
public sealed class SsrfFixture : IAsyncLifetime
{
    public Receiver Receiver { get; private set; } = null!;
    public ServerHost Strict { get; private set; } = null!;
    public ServerHost AllowLoopback { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Receiver = await Receiver.StartAsync();
        Strict = await ServerHost.StartAsync();
        AllowLoopback = await ServerHost.StartAsync(new Dictionary<string, string?>
        {
            ["SdApi:UrlFetch:AllowedHosts:0"] = "127.0.0.1/32",
            ["SdApi:UrlFetch:MaxBytes"] = "1000000",
            ["SdApi:UrlFetch:Timeout"] = "00:00:01",
        });
    }

    public async Task DisposeAsync()
    {
        await Strict.DisposeAsync();
        await AllowLoopback.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}

/// <summary>init_image / mask_image / webhook URLs: http(s) only, and no loopback, private, link-local or metadata
/// address however it is spelled; redirects are re-checked; size and time limits hold.</summary>
public sealed class SsrfTests(SsrfFixture fixture) : IClassFixture<SsrfFixture>
{
    /// <summary>Every spelling of a forbidden address. {P} is the port of a live receiver on 127.0.0.1, so a spelling
    /// that slipped through would actually reach it.</summary>
    public static TheoryData<string> BlockedUrls => new()
    {
        "http://127.0.0.1:{P}/image.png",
        "http://localhost:{P}/image.png",
        "http://2130706433:{P}/image.png",            // decimal
        "http://0x7f000001:{P}/image.png",            // hex
        "http://0x7f.0x0.0x0.0x1:{P}/image.png",      // dotted hex
        "http://0177.0.0.1:{P}/image.png",            // octal
        "http://017700000001:{P}/image.png",          // octal, one number
        "http://127.1:{P}/image.png",                 // short form
        "http://127.0.1:{P}/image.png",
        "http://0:{P}/image.png",                     // 0.0.0.0 reaches the local host on Linux
        "http://0.0.0.0:{P}/image.png",
        "http://[::1]:{P}/image.png",
        "http://[0:0:0:0:0:0:0:1]:{P}/image.png",
        "http://[::]:{P}/image.png",
        "http://[::ffff:127.0.0.1]:{P}/image.png",    // IPv4-mapped
        "http://[::ffff:7f00:1]:{P}/image.png",
        "http://[::127.0.0.1]:{P}/image.png",         // IPv4-compatible
        "http://[64:ff9b::7f00:1]:{P}/image.png",     // NAT64
        "http://[2002:7f00:1::]:{P}/image.png",       // 6to4
        "http://169.254.169.254/latest/meta-data/",   // cloud metadata
        "http://[::ffff:169.254.169.254]/latest/meta-data/",
        "http://[fd00:ec2::254]/latest/meta-data/",   // AWS IPv6 metadata
        "http://10.0.0.1/image.png",
        "http://172.16.0.1/image.png",
        "http://172.31.255.255/image.png",
        "http://192.168.1.1/image.png",
        "http://100.64.0.1/image.png",                // carrier-grade NAT
        "http://[fe80::1]/image.png",                 // link-local
        "http://[fc00::1]/image.png",                 // unique local
        "http://224.0.0.1/image.png",                 // multicast
        "http://255.255.255.255/image.png",
        "http://localhost.:{P}/image.png",            // trailing-dot name
        "http://LocalHost.:{P}/image.png",
        "http://0177.0000.0000.0001:{P}/image.png",   // octal, zero-padded
        "http://0x7f.1:{P}/image.png",                // hex, short form
        "http://00:{P}/image.png",                    // 0, octal spelling
        "http://0x0:{P}/image.png",                   // 0, hex spelling
        "http://[::ffff:0.0.0.0]:{P}/image.png",      // IPv4-mapped 0
        "http://[::ffff:a9fe:a9fe]/latest/meta-data/",// IPv4-mapped metadata, hex words
        "http://user:pass@127.0.0.1:{P}/image.png",   // userinfo before a loopback host
        "http://example.com@127.0.0.1:{P}/image.png", // a public-looking name as userinfo
        "http://example.com:80@localhost:{P}/image.png",
    };

    /// <summary>The same spellings as webhook targets are refused when the job is submitted, naming webhook.</summary>
    [Theory]
    [MemberData(nameof(BlockedUrls))]
    public async Task Blocked_webhook_targets_are_refused_at_submit(string template)
    {
        var url = template.Replace("{P}", fixture.Receiver.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var answer = await fixture.Strict.PostAsync("/api/v6/images/text2img", Bodies.Text2Img().With("webhook", url));
        answer.StatusCode.Should().Be(400, $"{url}: {answer.Text}");
        answer.Fields.Should().Equal("webhook");
    }

    [Theory]
    [MemberData(nameof(BlockedUrls))]
    public async Task Blocked_addresses_are_refused_in_every_spelling(string template)
    {
        var url = template.Replace("{P}", fixture.Receiver.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var before = fixture.Receiver.ImageRequests;

        var answer = await fixture.Strict.PostAsync("/api/v6/images/img2img", Bodies.Text2Img().With("init_image", url));

        answer.StatusCode.Should().Be(400, answer.Text);
        answer.Status.Should().Be("error");
        answer.Message.Should().StartWith("Unable to fetch image from provided URL").And.Contain(GuardedHttp.BlockedReason);
        fixture.Receiver.ImageRequests.Should().Be(before, "the receiver must never be reached");
    }

    [Theory]
    [InlineData("http://127.0.0.1:{P}/image.png")]
    [InlineData("http://2130706433:{P}/image.png")]
    [InlineData("http://0x7f000001:{P}/image.png")]
    [InlineData("http://0177.0.0.1:{P}/image.png")]
    [InlineData("http://[::ffff:127.0.0.1]:{P}/image.png")]
    public async Task The_same_spellings_reach_the_receiver_when_the_allow_list_names_it(string template)
    {
        var url = template.Replace("{P}", fixture.Receiver.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var answer = await fixture.AllowLoopback.PostAsync("/api/v6/images/img2img", Bodies.Text2Img().With("init_image", url));
        answer.Status.Should().Be("success", answer.Text);
    }

    [Theory]
    [InlineData("ftp://127.0.0.1/image.png")]
    [InlineData("file:///etc/passwd")]
    [InlineData("gopher://127.0.0.1:70/_x")]
    [InlineData("not a url")]
    public async Task Only_http_and_https_urls_are_fetched(string url)
    {
        var answer = await fixture.AllowLoopback.PostAsync("/api/v6/images/img2img", Bodies.Text2Img().With("init_image", url));
        answer.StatusCode.Should().Be(400, answer.Text);
        answer.Status.Should().Be("error");
    }

    [Fact]
    public async Task Redirects_are_followed_only_to_allowed_addresses()
    {
        var port = fixture.Receiver.Port;
        string Via(string target) => fixture.Receiver.Url("redirect?to=" + Uri.EscapeDataString(target));

        var allowed = await fixture.AllowLoopback.PostAsync("/api/v6/images/img2img",
            Bodies.Text2Img().With("init_image", Via($"http://127.0.0.1:{port}/image.png")));
        allowed.Status.Should().Be("success", allowed.Text);

        foreach (var target in new[] { $"http://127.0.0.2:{port}/image.png", "http://169.254.169.254/latest/meta-data/", $"http://[::1]:{port}/image.png",
                     $"http://0:{port}/image.png", $"http://[::ffff:127.0.0.2]:{port}/image.png", $"http://x@127.0.0.2:{port}/image.png" })
        {
            var answer = await fixture.AllowLoopback.PostAsync("/api/v6/images/img2img", Bodies.Text2Img().With("init_image", Via(target)));
            answer.StatusCode.Should().Be(400, target);
            answer.Message.Should().Contain(GuardedHttp.BlockedReason, target);
        }
        var toFile = await fixture.AllowLoopback.PostAsync("/api/v6/images/img2img", Bodies.Text2Img().With("init_image", Via("file:///etc/passwd")));
        toFile.StatusCode.Should().Be(400);
    }

    [Fact]
    public async Task Size_and_time_limits_hold_for_url_images()
    {
        var big = await fixture.AllowLoopback.PostAsync("/api/v6/images/img2img", Bodies.Text2Img().With("init_image", fixture.Receiver.Url("big.png")));
        big.StatusCode.Should().Be(400);
        big.Message.Should().Contain("too large");
    }

    [Fact]
    public async Task An_image_host_that_never_answers_is_given_up_after_the_timeout_on_the_clock()
    {
        var clock = new WatchedClock();
        await using var receiver = await Receiver.StartAsync();
        await using var host = await ServerHost.StartAsync(new Dictionary<string, string?>
        {
            ["SdApi:UrlFetch:AllowedHosts:0"] = "127.0.0.1/32",
            ["SdApi:UrlFetch:Timeout"] = "00:00:07",
        }, s => s.AddSingleton<TimeProvider>(clock));

        var answer = host.PostAsync("/api/v6/images/img2img", Bodies.Text2Img().With("init_image", receiver.Url("slow.png")));
        await receiver.WaitForSlowRequestsAsync(); // the server is waiting for the image (its deadline timer exists)
        await clock.WaitForTimerAsync(TimeSpan.FromSeconds(7));
        answer.IsCompleted.Should().BeFalse("nothing gives up before the timeout has passed on the clock");
        clock.Advance(TimeSpan.FromSeconds(7));

        var slow = await answer.WaitAsync(TimeSpan.FromSeconds(30));
        slow.StatusCode.Should().Be(400);
        slow.Message.Should().Contain("timed out");
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.255.0.9", true)]
    [InlineData("10.1.2.3", true)]
    [InlineData("172.20.0.1", true)]
    [InlineData("192.168.0.10", true)]
    [InlineData("169.254.169.254", true)]
    [InlineData("100.100.100.200", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("::1", true)]
    [InlineData("::", true)]
    [InlineData("::ffff:10.0.0.1", true)]
    [InlineData("::ffff:169.254.169.254", true)]
    [InlineData("64:ff9b::a9fe:a9fe", true)]
    [InlineData("2002:c0a8:0101::1", true)]
    [InlineData("fe80::1", true)]
    [InlineData("fd00:ec2::254", true)]
    [InlineData("ff02::1", true)]
    [InlineData("8.8.8.8", false)]
    [InlineData("1.1.1.1", false)]
    [InlineData("172.32.0.1", false)]
    [InlineData("::ffff:8.8.8.8", false)]
    [InlineData("2606:4700:4700::1111", false)]
    public void Address_policy_blocks_non_public_addresses(string address, bool blocked)
    {
        AddressPolicy.IsBlocked(IPAddress.Parse(address)).Should().Be(blocked);
        new AddressPolicy(Options.Create(new ServerOptions())).IsAllowed(IPAddress.Parse(address)).Should().Be(!blocked);
    }

    [Fact]
    public void Allow_list_accepts_addresses_ranges_and_names()
    {
        var options = new ServerOptions();
        options.UrlFetch.AllowedHosts.AddRange(["127.0.0.1", "10.0.0.0/8", "images.internal"]);
        var policy = new AddressPolicy(Options.Create(options));

        policy.IsAllowed(IPAddress.Parse("127.0.0.1")).Should().BeTrue();
        policy.IsAllowed(IPAddress.Parse("::ffff:127.0.0.1")).Should().BeTrue();
        policy.IsAllowed(IPAddress.Parse("127.0.0.2")).Should().BeFalse();
        policy.IsAllowed(IPAddress.Parse("10.9.8.7")).Should().BeTrue();
        policy.IsAllowedName("images.internal").Should().BeTrue();
        policy.IsAllowedName("localhost").Should().BeFalse();
    }
}
