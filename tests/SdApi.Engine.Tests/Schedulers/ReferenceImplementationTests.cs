using SdApi.Engine.Schedulers;

namespace SdApi.Engine.Tests.Schedulers;

/// <summary>
/// The multistep solvers against independent scalar re-implementations of diffusers' formulas
/// (Reference/*.py, Python standard library only; run them to regenerate the literals).
/// </summary>
public sealed class ReferenceImplementationTests
{
    [Theory]
    [InlineData("DPMSolverMultistepScheduler", 2, 0.8193913018495765, -0.41745184697309)]
    [InlineData("UniPCMultistepScheduler", 2, 0.8199434092030357, -0.4181961360499176)]
    [InlineData("DEISMultistepScheduler", 2, 0.8152747398963262, -0.411902360851061)]
    [InlineData("DEISMultistepScheduler", 3, 0.8184425947282302, -0.41617290666718176)]
    [InlineData("DPMSolverSinglestepScheduler", 2, 0.8060855707733264, -0.3995145559060145)]
    [InlineData("DPMSolverSinglestepScheduler", 3, 0.809570753036248, -0.4042128868968924)]
    public void Multistep_solvers_match_the_scalar_reference(string name, int order, double fromPlusOne, double fromMinusOnePointThree)
    {
        var scheduler = SchedulerFactory.Create(name, SchedulerConfig.StableDiffusion1 with { SolverOrder = order });
        scheduler.SetTimesteps(20);
        float[] latents = [1.0f, -1.3f];
        var allButLast = scheduler.Timesteps.Take(scheduler.Timesteps.Count - 1).ToArray();
        var result = SamplingLoop.Denoise(scheduler, allButLast, latents, GaussianEpsilon, new DeterministicRandom(0));

        // float32 latents against float64 Python: agreement to about 1e-6
        result[0].Should().BeApproximately((float)fromPlusOne, 2e-5f);
        result[1].Should().BeApproximately((float)fromMinusOnePointThree, 2e-5f);
    }

    // The exact noise prediction for x0 ~ N(0.3, 0.5^2), as in the Python scripts (integer timesteps).
    private static float[] GaussianEpsilon(float[] x, double t)
    {
        const double S = 0.5, Mu = 0.3;
        var sigma = Sd1Schedule.Sigmas[(int)t];
        var a = 1 / Math.Sqrt(1 + (sigma * sigma));
        var s = sigma * a;
        var gain = a * S * S / ((a * a * S * S) + (s * s));
        return x.Select(v => (float)((v - (a * (Mu + (gain * (v - (a * Mu)))))) / s)).ToArray();
    }
}
