namespace SdApi.Engine.Schedulers;

/// <summary>
/// Linear multistep (order 4) in sigma space, after diffusers' <c>scheduling_lms_discrete.py</c>. The coefficients
/// are integrals of Lagrange basis polynomials over [sigma_t, sigma_next]; diffusers uses scipy's quad, here a
/// 4-point Gauss-Legendre rule, which is exact for these polynomials (degree &lt;= 3).
/// </summary>
public sealed class LMSDiscreteScheduler : SigmaScheduler
{
    private const int MaxOrder = 4;
    private readonly List<float[]> _derivatives = [];

    public LMSDiscreteScheduler(SchedulerConfig config)
        : base(config)
    {
    }

    public override string ApiName => "LMSDiscreteScheduler";

    public override void SetTimesteps(int numInferenceSteps)
    {
        ValidateStepCount(numInferenceSteps);
        var (timesteps, sigmas) = BaseSchedule(numInferenceSteps, Config.UseKarrasSigmas ?? false);
        SetSchedule(timesteps, [.. sigmas, 0.0], numInferenceSteps);
        _derivatives.Clear();
    }

    public override SchedulerStepOutput Step(ReadOnlySpan<float> modelOutput, double timestep, ReadOnlySpan<float> sample, DeterministicRandom? generator = null)
    {
        EnsureReady(modelOutput, sample);
        var i = CurrentStepIndex(timestep);
        var sigma = Sigmas[i];
        var x0 = PredictOriginal(modelOutput, sample, sigma);
        _derivatives.Add(LatentMath.Combine(1 / sigma, sample, -1 / sigma, x0));
        if (_derivatives.Count > MaxOrder)
        {
            _derivatives.RemoveAt(0);
        }

        var order = Math.Min(i + 1, MaxOrder);
        var prev = sample.ToArray();
        // zip(lms_coeffs, reversed(derivatives)): the newest derivative gets coefficient 0; zip stops at the shorter.
        for (var k = 0; k < Math.Min(order, _derivatives.Count); k++)
        {
            LatentMath.AddScaled(prev, LmsCoefficient(order, i, k), _derivatives[_derivatives.Count - 1 - k]);
        }

        StepIndex = i + 1;
        return new SchedulerStepOutput(prev, x0);
    }

    private double LmsCoefficient(int order, int t, int currentOrder)
    {
        double Basis(double tau)
        {
            var prod = 1.0;
            for (var k = 0; k < order; k++)
            {
                if (k != currentOrder)
                {
                    prod *= (tau - Sigmas[t - k]) / (Sigmas[t - currentOrder] - Sigmas[t - k]);
                }
            }

            return prod;
        }

        return GaussLegendre4(Basis, Sigmas[t], Sigmas[t + 1]);
    }

    private static double GaussLegendre4(Func<double, double> f, double a, double b)
    {
        ReadOnlySpan<double> nodes = [-0.8611363115940526, -0.3399810435848563, 0.3399810435848563, 0.8611363115940526];
        ReadOnlySpan<double> weights = [0.3478548451374538, 0.6521451548625461, 0.6521451548625461, 0.3478548451374538];
        var half = (b - a) / 2;
        var mid = (a + b) / 2;
        var sum = 0.0;
        for (var j = 0; j < 4; j++)
        {
            sum += weights[j] * f(mid + (half * nodes[j]));
        }

        return sum * half;
    }
}
