using SdApi.Engine.Models.BuiltIn;
using SdApi.Engine.Pipeline;
using Xunit.Abstractions;

namespace SdApi.Engine.Tests.Pipeline;

/// <summary>End to end through ONNX Runtime: schedulers driven by the oracle UNet converge to the oracle image.</summary>
[Collection(EngineCollection.Name)]
public sealed class SchedulerConvergenceTests(EngineFixture fixture, ITestOutputHelper output)
{
    [Theory]
    [InlineData("DDIMScheduler", false, 35)]
    [InlineData("PNDMScheduler", false, 35)]
    [InlineData("EulerDiscreteScheduler", false, 35)]
    [InlineData("EulerDiscreteScheduler", true, 35)]
    [InlineData("EulerAncestralDiscreteScheduler", false, 30)]
    [InlineData("DPMSolverMultistepScheduler", true, 35)]
    [InlineData("UniPCMultistepScheduler", false, 35)]
    [InlineData("HeunDiscreteScheduler", false, 35)]
    [InlineData("LMSDiscreteScheduler", false, 35)]
    [InlineData("DDPMScheduler", false, 30)]
    [InlineData("KDPM2DiscreteScheduler", false, 35)]
    [InlineData("KDPM2AncestralDiscreteScheduler", false, 30)]
    [InlineData("DPMSolverSinglestepScheduler", false, 35)]
    [InlineData("DEISMultistepScheduler", false, 35)]
    [InlineData("LCMScheduler", false, 30)]
    [InlineData("IPNDMScheduler", false, 30)]
    [InlineData("DDIMInverseScheduler", false, 35)]
    [InlineData("KarrasVeScheduler", false, 30)]
    [InlineData("ScoreSdeVeScheduler", false, 30)]
    public async Task Scheduler_converges_to_the_oracle_image(string scheduler, bool karras, double minimumPsnr)
    {
        const string prompt = "purple diamond in the sky";
        var request = EngineFixture.Small(prompt) with { Scheduler = scheduler, UseKarrasSigmas = karras, Steps = 20, Width = 64, Height = 64 };
        var result = await fixture.Engine.GenerateAsync(request);
        var expected = OracleReference.ExpectedRgb(fixture.Tokenizer, prompt, null, request.GuidanceScale, 64, 64, request.Seed!.Value);
        var psnr = OracleReference.Psnr(result.Images[0].Rgb, expected);
        output.WriteLine($"{scheduler} karras={karras}: PSNR {psnr:F1} dB");
        psnr.Should().BeGreaterThan(minimumPsnr);
    }
}
