using SdApi.Bindings;

namespace SdApi.Testing.Tests.Mock;

/// <summary>The fluent surface: scripts per operation or per typed request, and typed checks of what was received.</summary>
public sealed class ScriptAndVerifyTests : IDisposable
{
    private readonly SdApiMockServer _mock = SdApiMockServer.Start();

    public void Dispose() => _mock.Dispose();

    private static V6Text2ImgRequest Lora(string id) => new()
    {
        Prompt = "a red circle",
        Width = 512,
        Height = 512,
        LoraModel = [id],
        LoraStrength = [0.7],
    };

    [Fact]
    public async Task A_v6_text2img_with_lora_model_X_was_sent_twice()
    {
        await _mock.Client.V6.Text2ImgAsync(Lora("X"));
        await _mock.Client.V6.Text2ImgAsync(Lora("Y"));
        await _mock.Client.V6.Text2ImgAsync(Lora("X"));

        _mock.Received.Of<V6Text2ImgRequest>(r => r.LoraModel?.Contains("X") == true).Should().HaveCount(2);
        _mock.Received.Verify<V6Text2ImgRequest>(r => r.LoraModel?.Contains("X") == true, times: 2, "with lora_model X");
        var wrong = () => _mock.Received.Verify<V6Text2ImgRequest>(r => r.LoraModel?.Contains("X") == true, times: 3);
        wrong.Should().Throw<SdApiMockAssertionException>().WithMessage("Expected 3 V6Text2ImgRequest request(s), found 2.*lora_model*");
    }

    [Fact]
    public async Task A_typed_script_answers_only_the_requests_it_selects_in_order_then_falls_back()
    {
        _mock.On<V6Text2ImgRequest>(r => r.LoraModel?.Contains("X") == true)
            .RespondWith(SdApiAnswer.Error("LoRA X is not available"))
            .Then(SdApiAnswer.Failed());

        var other = await _mock.Client.V6.Text2ImgAsync(Lora("Y"));
        var first = await _mock.Client.V6.Text2ImgAsync(Lora("X"));
        var second = await _mock.Client.V6.Text2ImgAsync(Lora("X"));
        var third = await _mock.Client.V6.Text2ImgAsync(Lora("X"));

        other.Value.Kind.Should().Be(OutcomeKind.Success);
        first.Value.Should().BeOfType<ErrorResponse>().Which.Message.Should().Be("LoRA X is not available");
        second.Value.Kind.Should().Be(OutcomeKind.Failed);
        third.Value.Kind.Should().Be(OutcomeKind.Success, "the script is used up");
    }

    [Fact]
    public async Task Always_repeats_after_the_queue_and_reset_forgets_scripts_and_requests()
    {
        _mock.On("v6Text2Img").RespondWith(SdApiAnswer.Success()).Always(SdApiAnswer.Error());
        (await _mock.Client.V6.Text2ImgAsync(Lora("X"))).Value.Kind.Should().Be(OutcomeKind.Success);
        (await _mock.Client.V6.Text2ImgAsync(Lora("X"))).Value.Kind.Should().Be(OutcomeKind.Error);
        (await _mock.Client.V6.Text2ImgAsync(Lora("X"))).Value.Kind.Should().Be(OutcomeKind.Error);

        _mock.Reset();

        _mock.Received.Count.Should().Be(0);
        (await _mock.Client.V6.Text2ImgAsync(Lora("X"))).Value.Kind.Should().Be(OutcomeKind.Success);
    }

    [Fact]
    public async Task A_provider_side_validation_error_is_read_as_field_errors()
    {
        _mock.On("v6Text2Img").RespondWith(SdApiAnswer.ValidationError("lora_model", "The lora model is not available."));

        var response = await _mock.Client.V6.Text2ImgAsync(Lora("X"));

        response.Status.Should().Be(400);
        response.Value.Should().BeOfType<ErrorResponse>().Which.FieldErrors!["lora_model"].Should().Equal("The lora model is not available.");
    }

    [Fact]
    public async Task Scripts_skip_requests_the_validator_refuses()
    {
        _mock.On("v6Text2Img").Always(SdApiAnswer.Failed());
        var client = _mock.CreateClient(o => o.ValidateRequests = false);

        var response = await client.V6.Text2ImgAsync(Lora("X") with { Width = 13 });

        response.Status.Should().Be(400, "the API validates before anything else happens");
        _mock.Received.All.Single().Validation!.Errors.Keys.Should().Contain("width");
    }
}
