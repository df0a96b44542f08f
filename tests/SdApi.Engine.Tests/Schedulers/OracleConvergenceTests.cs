using SdApi.Engine.Schedulers;
using Xunit.Abstractions;

namespace SdApi.Engine.Tests.Schedulers;

/// <summary>
/// Every scheduler, driven by the exact-noise oracle from pure noise (text2img, SD 1.x config), must end at the
/// clean latent. The bound per scheduler is the one in the README's table (measured value, rounded down with margin).
/// </summary>
public sealed class OracleConvergenceTests(ITestOutputHelper output)
{
    // name, steps, karras, algorithm_type, minimum PSNR (dB)
    public static TheoryData<string, int, bool, string?, double> Cases => new()
    {
        { "DDPMScheduler", 20, false, null, 120 },
        { "DDIMScheduler", 20, false, null, 35 },
        { "PNDMScheduler", 20, false, null, 35 },
        { "LMSDiscreteScheduler", 20, false, null, 120 },
        { "LMSDiscreteScheduler", 20, true, null, 65 },
        { "EulerDiscreteScheduler", 20, false, null, 120 },
        { "EulerDiscreteScheduler", 20, true, null, 120 },
        { "EulerAncestralDiscreteScheduler", 20, false, null, 120 },
        { "DPMSolverMultistepScheduler", 20, false, null, 120 },
        { "DPMSolverMultistepScheduler", 20, true, null, 120 },
        { "DPMSolverMultistepScheduler", 20, false, "sde-dpmsolver++", 120 },
        { "DPMSolverMultistepScheduler", 20, false, "dpmsolver", 35 },
        { "HeunDiscreteScheduler", 20, false, null, 120 },
        { "HeunDiscreteScheduler", 20, true, null, 120 },
        { "KDPM2DiscreteScheduler", 20, false, null, 120 },
        { "KDPM2DiscreteScheduler", 20, true, null, 120 },
        { "DPMSolverSinglestepScheduler", 20, false, null, 120 },
        { "DPMSolverSinglestepScheduler", 20, true, null, 120 },
        { "KDPM2AncestralDiscreteScheduler", 20, false, null, 120 },
        { "KDPM2AncestralDiscreteScheduler", 20, true, null, 120 },
        { "UniPCMultistepScheduler", 20, false, null, 120 },
        { "UniPCMultistepScheduler", 20, true, null, 120 },
        { "DEISMultistepScheduler", 20, false, null, 35 },
        { "IPNDMScheduler", 20, false, null, 120 },
        { "KarrasVeScheduler", 20, false, null, 120 },
        { "ScoreSdeVeScheduler", 20, false, null, 120 },
        { "LCMScheduler", 4, false, null, 120 },
    };

    /// <summary>
    /// diffusers' noise-prediction SDE solver: its first-order step keeps the last step's noise (about 16 dB at 20
    /// steps; a scalar Python re-implementation of diffusers' formula gives 16.4 dB averaged over 200 seeds). The
    /// default second-order update amplifies the injected noise with the oracle (0.5 dB in both implementations), so
    /// only order 1 gets a bound; the README lists both.
    /// </summary>
    [Fact]
    public void Sde_dpmsolver_first_order_keeps_only_the_last_steps_noise()
    {
        var x0 = SamplingLoop.CleanLatent();
        var oracle = new OracleNoisePredictor(x0);
        var config = SchedulerConfig.StableDiffusion1 with { SolverOrder = 1 };
        var scheduler = SchedulerFactory.Create("DPMSolverMultistepScheduler", config, null, "sde-dpmsolver");
        var psnr = SamplingLoop.Psnr(x0, SamplingLoop.Text2Img(scheduler, 20, oracle.PredictEpsilon, seed: 1234, x0.Length));
        output.WriteLine($"sde-dpmsolver order 1: psnr={psnr:F1}");
        psnr.Should().BeInRange(12, 22);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Text2img_with_the_exact_noise_oracle_ends_at_the_clean_latent(string name, int steps, bool karras, string? algorithm, double minPsnr)
    {
        var x0 = SamplingLoop.CleanLatent();
        var oracle = new OracleNoisePredictor(x0);
        var scheduler = SchedulerFactory.Create(name, SchedulerConfig.StableDiffusion1, karras, algorithm);

        var result = SamplingLoop.Text2Img(scheduler, steps, oracle.PredictEpsilon, seed: 1234, x0.Length);

        var psnr = SamplingLoop.Psnr(x0, result);
        output.WriteLine($"{name} steps={steps} karras={karras} algorithm={algorithm} calls={oracle.Calls} psnr={psnr:F1}");
        oracle.Calls.Should().Be(scheduler.Timesteps.Count, "the loop calls the model once per timestep entry");
        psnr.Should().BeGreaterThanOrEqualTo(minPsnr);
    }
}
