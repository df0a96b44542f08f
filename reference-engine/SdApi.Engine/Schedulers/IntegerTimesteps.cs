namespace SdApi.Engine.Schedulers;

/// <summary>
/// The integer timestep grids of the DDPM-family schedulers (DDIM, DDPM, PNDM, DPM-Solver, UniPC, DEIS), as
/// diffusers' <c>set_timesteps</c> builds them for each <c>timestep_spacing</c>.
/// </summary>
public static class IntegerTimesteps
{
    /// <summary>
    /// DDIM/DDPM style, descending: linspace <c>round(linspace(0, T-1, N))[::-1]</c>; leading
    /// <c>round(arange(N) * (T // N))[::-1] + steps_offset</c>; trailing <c>round(arange(T, 0, -T/N)) - 1</c>.
    /// </summary>
    public static double[] Descending(SchedulerConfig config, int n, string spacing)
    {
        ArgumentNullException.ThrowIfNull(config);
        var T = config.NumTrainTimesteps;
        double[] result;
        switch (spacing)
        {
            case "linspace":
                result = NoiseSchedule.Linspace(0, T - 1, n).Select(RoundHalfEven).Reverse().ToArray();
                break;
            case "leading":
                {
                    var ratio = T / n;
                    // At n == T (ratio 1) steps_offset pushes the last step to T, one past the schedule: clamp to T - 1.
                    result = Enumerable.Range(0, n).Select(i => (double)Math.Min((i * ratio) + config.StepsOffset, T - 1)).Reverse().ToArray();
                    break;
                }

            case "trailing":
                result = ArangeDown(T, 0, (double)T / n).Select(v => RoundHalfEven(v) - 1).ToArray();
                break;
            default:
                throw UnknownSpacing(spacing);
        }

        return result;
    }

    /// <summary>numpy.arange(start, stop, -step) for a positive <paramref name="step"/>, start &gt; stop.</summary>
    public static double[] ArangeDown(double start, double stop, double step)
    {
        var count = (int)Math.Ceiling((start - stop) / step);
        return Enumerable.Range(0, count).Select(i => start - (i * step)).ToArray();
    }

    /// <summary>numpy's round (half to even).</summary>
    public static double RoundHalfEven(double v) => Math.Round(v, MidpointRounding.ToEven);

    internal static ArgumentException UnknownSpacing(string spacing) =>
        new($"timestep_spacing '{spacing}' is not one of leading, linspace, trailing.");
}
