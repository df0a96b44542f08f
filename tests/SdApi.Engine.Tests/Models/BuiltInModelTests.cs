using SdApi.Engine.Models.BuiltIn;
using SdApi.Engine.Ort;

namespace SdApi.Engine.Tests.Models;

public sealed class BuiltInModelTests
{
    [Fact]
    public void Files_are_deterministic()
    {
        var a = BuiltInModel.Files();
        var b = BuiltInModel.Files();
        a.Keys.Should().BeEquivalentTo(b.Keys);
        foreach (var key in a.Keys) a[key].Should().Equal(b[key], key);
    }

    [Fact]
    public void Every_graph_loads_in_onnx_runtime_with_diffusers_names()
    {
        var files = BuiltInModel.Files();
        using var unet = OrtInferenceSession.FromBytes(files["unet/model.onnx"], new OrtSessionOptions(1));
        unet.Inputs.Select(i => i.Name).Should().Equal("sample", "timestep", "encoder_hidden_states",
            OracleComposition.SeedInputName, OracleUnet.InitLatentInputName, OracleUnet.StrengthInputName);
        unet.Outputs.Select(o => o.Name).Should().Equal("out_sample");
        using var text = OrtInferenceSession.FromBytes(files["text_encoder/model.onnx"], new OrtSessionOptions(1));
        text.Inputs.Single().Name.Should().Be("input_ids");
        text.Outputs.Select(o => o.Name).Should().Contain(["last_hidden_state", "pooler_output", "hidden_states.8"]);
        using var decoder = OrtInferenceSession.FromBytes(files["vae_decoder/model.onnx"], new OrtSessionOptions(1));
        decoder.Outputs.Single().Name.Should().Be("sample");
        using var encoder = OrtInferenceSession.FromBytes(files["vae_encoder/model.onnx"], new OrtSessionOptions(1));
        encoder.Outputs.Single().Name.Should().Be("latent_sample");
    }

    [Theory]
    [InlineData(999f, 7L, 1.0)]
    [InlineData(500f, 8L, 1.0)]
    [InlineData(37.25f, -3L, 1.0)]
    [InlineData(500f, 7L, 0.3)]
    [InlineData(12f, 1234567890123L, 0.0)]
    public void Unet_noise_prediction_recovers_the_seeded_target_latent(float timestep, long seed, double strength)
    {
        var files = BuiltInModel.Files();
        using var unet = OrtInferenceSession.FromBytes(files["unet/model.onnx"], new OrtSessionOptions(1));
        const int h = 8, w = 12;
        var context = new float[77 * OracleFeatures.HiddenSize];
        context[OracleFeatures.Foreground] = 0.9f; context[OracleFeatures.Foreground + 1] = -0.8f; context[OracleFeatures.Foreground + 2] = -0.8f;
        context[OracleFeatures.ColourCount] = 1;
        context[OracleFeatures.ShapeWeights + 1] = 1; context[OracleFeatures.ShapeCount] = 1;
        context[OracleFeatures.GroundColour + 2] = 0.7f; context[OracleFeatures.GroundColourCount] = 1;
        var initRgb = Enumerable.Range(0, 3 * h * w).Select(i => (float)Math.Cos(i * 0.37) * 0.8f).ToArray();
        var sceneRgb = OracleScene.Rgb(context.AsSpan(0, OracleFeatures.HiddenSize).ToArray(), h, w, OracleComposition.FromSeed(seed));
        var expected = OracleScene.ToLatent(OracleScene.Blend(initRgb, sceneRgb, strength), h, w);

        var sigma = OracleNoiseSchedule.Sigma(timestep);
        var noise = Enumerable.Range(0, 4 * h * w).Select(i => (float)Math.Sin(i * 1.7)).ToArray();
        var scale = (float)Math.Sqrt(1 + sigma * sigma);
        var xt = expected.Select((x0, i) => (x0 + (float)sigma * noise[i]) / scale).ToArray();
        using var sample = OrtTensor.FromFloats(xt, 1, 4, h, w);
        using var t = OrtTensor.FromFloats([timestep], 1);
        using var ctx = OrtTensor.FromFloats(context, 1, 77, OracleFeatures.HiddenSize);
        using var seedTensor = OrtTensor.FromInt64s([seed], 1);
        using var init = OrtTensor.FromFloats(OracleScene.ToLatent(initRgb, h, w), 1, 4, h, w);
        using var strengthTensor = OrtTensor.FromFloats([(float)strength], 1);
        var outputs = unet.Run([new("sample", sample), new("timestep", t), new("encoder_hidden_states", ctx),
            new(OracleComposition.SeedInputName, seedTensor), new(OracleUnet.InitLatentInputName, init), new(OracleUnet.StrengthInputName, strengthTensor)], ["out_sample"]);
        using var eps = outputs[0];
        var predicted = eps.ToFloats();
        for (var i = 0; i < predicted.Length; i++)
            predicted[i].Should().BeApproximately(noise[i], 2e-3f);
    }

    [Theory]
    [InlineData(1L, 2L)]
    [InlineData(42L, 43L)]
    [InlineData(42L, 44L)]
    [InlineData(42L, 45L)]
    public void Different_seeds_compose_different_pictures(long a, long b)
    {
        var ca = OracleComposition.FromSeed(a);
        var cb = OracleComposition.FromSeed(b);
        // at least one of position (units of half the shorter side) or size moves by a tenth of the image
        var moved = Math.Max(Math.Max(Math.Abs(ca.OffsetU - cb.OffsetU), Math.Abs(ca.OffsetV - cb.OffsetV)), Math.Abs(ca.Scale - cb.Scale));
        moved.Should().BeGreaterThan(0.12f);
        OracleComposition.FromSeed(a).Should().BeEquivalentTo(ca);
    }
}
