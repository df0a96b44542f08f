using SdApi.Engine.Imaging;
using SdApi.Engine.Models.BuiltIn;
using SdApi.Engine.Pipeline;
using Xunit.Abstractions;

namespace SdApi.Engine.Tests.Pipeline;

/// <summary>
/// End to end through ONNX Runtime: schedulers driven by the oracle UNet converge to the oracle image of each seed, and
/// img2img (strength 0.6) converges to the init image carried towards it. Figures: Schedulers/README.md.
/// </summary>
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
    public async Task Scheduler_converges_to_the_seeded_oracle_image_and_to_the_img2img_target(string scheduler, bool karras, double minimumPsnr)
    {
        const string prompt = "purple diamond in the sky";
        var psnrs = new List<double>();
        var images = new List<byte[]>();
        foreach (var seed in new long[] { 1, 2 })
        {
            var request = EngineFixture.Small(prompt, seed) with { Scheduler = scheduler, UseKarrasSigmas = karras, Steps = 20, Width = 64, Height = 64 };
            var result = await fixture.Engine.GenerateAsync(request);
            var expected = OracleReference.ExpectedRgb(fixture.Tokenizer, prompt, null, request.GuidanceScale, 64, 64, seed);
            psnrs.Add(OracleReference.Psnr(result.Images[0].Rgb, expected));
            images.Add(result.Images[0].Rgb);
        }
        var init = ImageMeasures.Landscape(64, 64);
        var img2img = EngineFixture.Small(prompt, 1) with
        {
            Scheduler = scheduler, UseKarrasSigmas = karras, Steps = 20, Mode = GenerationMode.Img2Img, InitImage = PngEncoder.Encode(init), Strength = 0.6,
        };
        var moved = await fixture.Engine.GenerateAsync(img2img);
        var target = OracleReference.ExpectedImg2ImgRgb(fixture.Tokenizer, prompt, null, img2img.GuidanceScale, init.Pixels, 64, 64, 1, 0.6);
        var img2imgPsnr = OracleReference.Psnr(moved.Images[0].Rgb, target);
        output.WriteLine($"{scheduler} karras={karras}: text2img PSNR seed 1 {psnrs[0]:F1} dB, seed 2 {psnrs[1]:F1} dB; img2img 0.6 PSNR {img2imgPsnr:F1} dB");
        psnrs.Should().OnlyContain(p => p > minimumPsnr);
        img2imgPsnr.Should().BeGreaterThan(35, "img2img converges to the init image carried towards the scene");
        ImageMeasures.MeanAbsoluteDifference(images[0], images[1]).Should().BeGreaterThanOrEqualTo(10, "each seed has its own target");
    }
}
