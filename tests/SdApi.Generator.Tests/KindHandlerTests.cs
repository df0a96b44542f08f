using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using SdApi.Bindings;
using SdApi.Bindings.Json;
using SdApi.Bindings.Server;
using SdApi.Generator.Tests.ServerStubs;

namespace SdApi.Generator.Tests;

/// <summary>The generated <see cref="SdApiKindHandler"/> of this test project (SdApiEmit=Server over SdApi.Bindings' models):
/// each operation reaches its kind's method as a typed call, validated first, with the spec's defaults applied.</summary>
public sealed class KindHandlerTests
{
    private sealed class Recording : SdApiKindHandler
    {
        public List<GenerateCall> Generated { get; } = [];
        public List<FetchCall> Fetched { get; } = [];

        private static readonly OperationResult Done = OperationResult.Ok(new SuccessResponse { Id = 1 });

        protected override ValueTask<OperationResult> HandleGenerateAsync(GenerateCall call, HttpContext context, CancellationToken cancellationToken)
        {
            Generated.Add(call);
            return ValueTask.FromResult(Done);
        }

        protected override ValueTask<OperationResult> HandleFetchAsync(FetchCall call, HttpContext context, CancellationToken cancellationToken)
        {
            Fetched.Add(call);
            return ValueTask.FromResult(Done);
        }

        protected override ValueTask<OperationResult> HandleModelReloadAsync(ModelReloadCall call, HttpContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult(Done);
    }

    [Fact]
    public async Task A_v6_text2img_call_is_typed_with_the_spec_defaults()
    {
        var handler = new Recording();
        var request = new V6Text2ImgRequest { Key = "k", Prompt = "a cat", NumInferenceSteps = 7 };

        var result = await handler.V6Text2ImgAsync(request, new DefaultHttpContext(), CancellationToken.None);

        result.StatusCode.Should().Be(200);
        var call = handler.Generated.Should().ContainSingle().Subject;
        call.Operation.Should().Be(GenerateOperation.Text2Img);
        call.OperationId.Should().Be("v6Text2Img");
        call.Version.Should().Be("v6");
        call.NumInferenceSteps.Should().Be(7);
        call.SafetyChecker.Should().BeTrue("v6 safety_checker defaults to yes");
        call.EnhancePrompt.Should().BeTrue("enhance_prompt defaults to yes");
        call.UseKarrasSigmas.Should().BeTrue("use_karras_sigmas defaults to yes");
        call.SafetyCheckerType!.Value.Value.Should().Be("sensitive_content_text");
        call.Width.Should().BeNull("the spec declares no default width; the provider decides");
        call.Request.Should().BeSameAs(request, "the request as read, before defaults, is kept for storage");
    }

    [Fact]
    public async Task A_default_never_overrides_what_the_request_says()
    {
        var handler = new Recording();
        await handler.V6Text2ImgAsync(new V6Text2ImgRequest { Key = "k", Prompt = "p", SafetyChecker = false, EnhancePrompt = false },
            new DefaultHttpContext(), CancellationToken.None);

        var call = handler.Generated.Should().ContainSingle().Subject;
        call.SafetyChecker.Should().BeFalse();
        call.EnhancePrompt.Should().BeFalse();
    }

    [Fact]
    public async Task V4_text2img_declares_no_safety_checker_default()
    {
        var handler = new Recording();
        await handler.V4Text2ImgAsync(new V4Text2ImgRequest { Key = "k", Prompt = "p" }, new DefaultHttpContext(), CancellationToken.None);

        var call = handler.Generated.Should().ContainSingle().Subject;
        call.SafetyChecker.Should().BeNull();
        call.EnhancePrompt.Should().BeTrue();
    }

    [Fact]
    public async Task An_invalid_request_is_refused_before_its_kind()
    {
        var handler = new Recording();
        var result = await handler.V6Text2ImgAsync(new V6Text2ImgRequest { Key = "k", Prompt = "p", Width = 5000 },
            new DefaultHttpContext(), CancellationToken.None);

        result.StatusCode.Should().Be(400);
        Encoding.UTF8.GetString(result.ToUtf8()).Should().Contain("\"width\"");
        handler.Generated.Should().BeEmpty();
    }

    [Fact]
    public async Task Fetch_by_id_carries_its_path_parameter_typed()
    {
        var handler = new Recording();
        await handler.V4FetchByIdAsync("12345", new FetchByIdRequest { Key = "k" }, new DefaultHttpContext(), CancellationToken.None);
        await handler.V6FetchAsync(new FetchRequest { Key = "k", RequestId = 77L }, new DefaultHttpContext(), CancellationToken.None);

        handler.Fetched.Select(c => (c.Operation, c.PathId, c.RequestId?.Value)).Should().Equal(
            (FetchOperation.FetchById, "12345", null),
            (FetchOperation.Fetch, null, "77"));
    }

    [Fact]
    public void A_stored_request_leaves_out_the_key_maps_images_and_reads_back_with_defaults()
    {
        var call = GenerateCall.FromV6Inpaint(new V6InpaintRequest
        {
            Key = "secret-key",
            Prompt = "a cat",
            InitImage = "iVBORw0KGgo=",
            MaskImage = "https://example.com/mask.png",
            Steps = 3,
        });

        var stored = WireWriter.ToUtf8(call.ForStorage(image => image is { } s && s.StartsWith("http", StringComparison.Ordinal) ? s : "(inline)"));
        var json = JsonNode.Parse(stored)!.AsObject();
        json.ContainsKey("key").Should().BeFalse();
        json["init_image"]!.GetValue<string>().Should().Be("(inline)");
        json["mask_image"]!.GetValue<string>().Should().Be("https://example.com/mask.png");

        var again = GenerateCall.Read("v6Inpaint", stored)!;
        again.Operation.Should().Be(GenerateOperation.Inpaint);
        again.Steps.Should().Be(3);
        again.SafetyChecker.Should().BeTrue();
        GenerateCall.Read("v6FetchById", stored).Should().BeNull("not a generate operation");
    }
}
