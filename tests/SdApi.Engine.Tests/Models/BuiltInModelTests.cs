using SdApi.Engine.Models.BuiltIn;
using Microsoft.ML.OnnxRuntime;
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
        using var unet = ModelSession.Open(files["unet/model.onnx"], new SessionSettings(1));
        unet.Session.InputNames.Should().Equal("sample", "timestep", "encoder_hidden_states",
            OracleComposition.SeedInputName, OracleUnet.InitLatentInputName, OracleUnet.StrengthInputName);
        unet.Session.OutputNames.Should().Equal("out_sample");
        using var text = ModelSession.Open(files["text_encoder/model.onnx"], new SessionSettings(1));
        text.Session.InputNames.Single().Should().Be("input_ids");
        text.Session.OutputNames.Should().Contain(["last_hidden_state", "pooler_output", "hidden_states.8"]);
        using var decoder = ModelSession.Open(files["vae_decoder/model.onnx"], new SessionSettings(1));
        decoder.Session.OutputNames.Single().Should().Be("sample");
        using var encoder = ModelSession.Open(files["vae_encoder/model.onnx"], new SessionSettings(1));
        encoder.Session.OutputNames.Single().Should().Be("latent_sample");
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
        using var unet = ModelSession.Open(files["unet/model.onnx"], new SessionSettings(1));
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
        using var sample = OrtValue.CreateTensorValueFromMemory(xt, [1, 4, h, w]);
        using var t = OrtValue.CreateTensorValueFromMemory(new[] { timestep }, [1]);
        using var ctx = OrtValue.CreateTensorValueFromMemory(context, [1, 77, OracleFeatures.HiddenSize]);
        using var seedTensor = OrtValue.CreateTensorValueFromMemory(new[] { seed }, [1]);
        using var init = OrtValue.CreateTensorValueFromMemory(OracleScene.ToLatent(initRgb, h, w), [1, 4, h, w]);
        using var strengthTensor = OrtValue.CreateTensorValueFromMemory(new[] { (float)strength }, [1]);
        using var outputs = unet.Run(["sample", "timestep", "encoder_hidden_states", OracleComposition.SeedInputName, OracleUnet.InitLatentInputName, OracleUnet.StrengthInputName],
            [sample, t, ctx, seedTensor, init, strengthTensor], ["out_sample"]);
        var predicted = outputs[0].GetTensorDataAsSpan<float>().ToArray();
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
