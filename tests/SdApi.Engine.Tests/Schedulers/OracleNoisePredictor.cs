namespace SdApi.Engine.Tests.Schedulers;

/// <summary>
/// A pure C# stand-in for the UNet that knows the clean latent x0: given the model input and timestep it returns
/// the exact noise, eps = (x_t - sqrt(abar_t) x0) / sqrt(1 - abar_t). The model input is the variance-preserving
/// latent x_t: DDPM-family schedulers pass it as is; sigma-space schedulers pass x / sqrt(sigma^2 + 1), which is the
/// same thing, so one formula serves both. A fractional timestep is mapped to its noise level the way diffusers maps
/// timesteps to sigmas (linear interpolation of sigma), then abar = 1 / (1 + sigma^2).
/// </summary>
internal sealed class OracleNoisePredictor(float[] x0)
{
    public int Calls { get; private set; }

    public float[] PredictEpsilon(float[] modelInput, double timestep)
    {
        Calls++;
        var sigma = Sd1Schedule.SigmaAt(timestep);
        var abar = 1 / (1 + (sigma * sigma));
        var a = Math.Sqrt(abar);
        var s = Math.Sqrt(1 - abar);
        var eps = new float[modelInput.Length];
        for (var i = 0; i < eps.Length; i++)
        {
            eps[i] = (float)((modelInput[i] - (a * x0[i])) / s);
        }

        return eps;
    }
}
