using SdApi.Engine.Schedulers;

namespace SdApi.Engine.Tests.Schedulers;

/// <summary>
/// Timesteps and sigmas against values computed here from diffusers' closed-form definitions (Sd1Schedule), plus
/// literal values from diffusers' own tests and documentation.
/// </summary>
public sealed class TimestepScheduleTests
{
    private static readonly SchedulerConfig Sd1 = SchedulerConfig.StableDiffusion1;

    [Theory]
    [InlineData(20)]
    [InlineData(30)]
    [InlineData(50)]
    public void DDIM_leading_spacing_with_steps_offset_1_is_i_times_1000_over_N_plus_1(int steps)
    {
        var s = new DDIMScheduler(Sd1);
        s.SetTimesteps(steps);
        var expected = Enumerable.Range(0, steps).Select(i => (double)((i * (1000 / steps)) + 1)).Reverse();
        s.Timesteps.Should().Equal(expected);
    }

    [Fact]
    public void DDIM_matches_the_literal_timesteps_in_diffusers_tests_and_docs()
    {
        // tests/schedulers/test_scheduler_ddim.py: steps_offset=1, 5 steps
        var ddim = new DDIMScheduler(Sd1 with { StepsOffset = 1 });
        ddim.SetTimesteps(5);
        ddim.Timesteps.Should().Equal(801, 601, 401, 201, 1);

        // docs/source/en/using-diffusers/schedulers.md, "Timestep spacing" table (10 steps)
        var trailing = new DDIMScheduler(Sd1 with { TimestepSpacing = "trailing" });
        trailing.SetTimesteps(10);
        trailing.Timesteps.Should().Equal(999, 899, 799, 699, 599, 499, 399, 299, 199, 99);
        var leading = new DDIMScheduler(Sd1 with { StepsOffset = 0 });
        leading.SetTimesteps(10);
        leading.Timesteps.Should().Equal(900, 800, 700, 600, 500, 400, 300, 200, 100, 0);

        // tests/schedulers/test_scheduler_ddim_inverse.py: steps_offset=1, 5 steps, ascending
        var inverse = new DDIMInverseScheduler(Sd1 with { StepsOffset = 1 });
        inverse.SetTimesteps(5);
        inverse.Timesteps.Should().Equal(1, 201, 401, 601, 801);
    }

    [Theory]
    [InlineData(20)]
    [InlineData(30)]
    [InlineData(50)]
    public void DDIM_linspace_and_trailing_spacings_follow_their_formulas(int steps)
    {
        var linspace = new DDIMScheduler(Sd1 with { TimestepSpacing = "linspace" });
        linspace.SetTimesteps(steps);
        linspace.Timesteps.Should().Equal(Enumerable.Range(0, steps).Select(i => Math.Round(i * (999.0 / (steps - 1)), MidpointRounding.ToEven)).Reverse());

        var trailing = new DDIMScheduler(Sd1 with { TimestepSpacing = "trailing" });
        trailing.SetTimesteps(steps);
        trailing.Timesteps.Should().Equal(Enumerable.Range(0, steps).Select(i => Math.Round(1000 - (i * 1000.0 / steps), MidpointRounding.ToEven) - 1));
    }

    [Fact]
    public void SD1_sigma_range_is_the_documented_one()
    {
        // shared reference: sigma_max 14.6146, sigma_min 0.02917 for SD 1.x
        var euler = new EulerDiscreteScheduler(Sd1);
        euler.SetTimesteps(20);
        euler.Sigmas[0].Should().BeApproximately(14.6146, 5e-4);
        euler.Sigmas[^2].Should().BeApproximately(0.02917, 5e-5);
        euler.Sigmas[^1].Should().Be(0);
        Sd1Schedule.Sigmas[999].Should().BeApproximately(14.6146, 5e-4);
    }

    [Theory]
    [InlineData(20)]
    [InlineData(30)]
    [InlineData(50)]
    public void Euler_linspace_sigmas_interpolate_the_training_sigmas(int steps)
    {
        var s = new EulerDiscreteScheduler(Sd1);
        s.SetTimesteps(steps);
        var expectedT = Enumerable.Range(0, steps).Select(i => (double)(float)(i * 999.0 / (steps - 1))).Reverse().ToArray();
        s.Timesteps.Should().HaveCount(steps);
        for (var i = 0; i < steps; i++)
        {
            s.Timesteps[i].Should().BeApproximately(expectedT[i], 1e-4);
            s.Sigmas[i].Should().BeApproximately(Sd1Schedule.SigmaAt(expectedT[i]), 1e-6 * Sd1Schedule.SigmaAt(expectedT[i]));
        }

        s.Sigmas.Should().HaveCount(steps + 1);
        s.InitNoiseSigma.Should().BeApproximately(Sd1Schedule.Sigmas[999], 1e-6, "linspace: init noise sigma is the largest sigma");
    }

    [Fact]
    public void Euler_with_leading_spacing_scales_the_initial_noise_by_sqrt_sigma_max_squared_plus_one()
    {
        var s = new EulerDiscreteScheduler(Sd1 with { TimestepSpacing = "leading" });
        s.SetTimesteps(20);
        s.Timesteps[0].Should().Be(951);
        s.InitNoiseSigma.Should().BeApproximately(Math.Sqrt((Sd1Schedule.Sigmas[951] * Sd1Schedule.Sigmas[951]) + 1), 1e-6);
    }

    [Theory]
    [InlineData(20)]
    [InlineData(30)]
    public void Euler_karras_sigmas_follow_equation_5_between_the_chosen_sigmas(int steps)
    {
        var s = new EulerDiscreteScheduler(Sd1 with { UseKarrasSigmas = true });
        s.SetTimesteps(steps);
        var expected = Sd1Schedule.Karras(Sd1Schedule.Sigmas[0], Sd1Schedule.Sigmas[999], steps);
        for (var i = 0; i < steps; i++)
        {
            s.Sigmas[i].Should().BeApproximately(expected[i], 1e-9 * expected[i] + 1e-12);
        }

        // sigma -> t by log-sigma interpolation: the end points map to 999 and 0, the rest strictly decrease.
        s.Timesteps[0].Should().BeApproximately(999, 1e-3);
        s.Timesteps[^1].Should().BeApproximately(0, 1e-3);
        s.Timesteps.Should().BeInDescendingOrder();
        s.Timesteps.Distinct().Should().HaveCount(steps);
    }

    [Fact]
    public void DPMSolver_karras_uses_the_full_training_sigma_range_and_rounds_timesteps()
    {
        var s = new DPMSolverMultistepScheduler(Sd1 with { UseKarrasSigmas = true, TimestepSpacing = "leading" });
        s.SetTimesteps(25);
        var expected = Sd1Schedule.Karras(Sd1Schedule.Sigmas[0], Sd1Schedule.Sigmas[999], 25);
        s.Sigmas.Take(25).Should().Equal(expected, (a, b) => Math.Abs(a - b) <= 1e-9 * b + 1e-12);
        s.Sigmas[^1].Should().Be(0);
        s.Timesteps.Should().OnlyContain(t => t == Math.Round(t));
        s.Timesteps[0].Should().Be(999);
        s.Timesteps[^1].Should().Be(0);
    }

    [Theory]
    [InlineData(20)]
    [InlineData(30)]
    [InlineData(50)]
    public void DPMSolver_UniPC_DEIS_leading_spacing_uses_N_plus_1_points_and_drops_zero(int steps)
    {
        var expected = Enumerable.Range(0, steps + 1).Select(i => (double)(i * (1000 / (steps + 1)))).Reverse().Take(steps).Select(v => v + 1).ToArray();
        foreach (var s in new Scheduler[]
        {
            new DPMSolverMultistepScheduler(Sd1 with { TimestepSpacing = "leading" }),
            new UniPCMultistepScheduler(Sd1 with { TimestepSpacing = "leading" }),
            new DEISMultistepScheduler(Sd1 with { TimestepSpacing = "leading" }),
        })
        {
            s.SetTimesteps(steps);
            s.Timesteps.Should().Equal(expected, s.ApiName);
        }
    }

    [Theory]
    [InlineData(20)]
    [InlineData(30)]
    public void DPMSolver_default_linspace_spacing_and_sigmas(int steps)
    {
        var s = new DPMSolverMultistepScheduler(Sd1);
        s.SetTimesteps(steps);
        // numpy.linspace multiplies i by the step (999 / N), so 15 * 33.3 is 499.49999999999994 and rounds to 499.
        var expected = Enumerable.Range(1, steps).Select(i => Math.Round(i * (999.0 / steps), MidpointRounding.ToEven)).Reverse().ToArray();
        s.Timesteps.Should().Equal(expected);
        for (var i = 0; i < steps; i++)
        {
            s.Sigmas[i].Should().BeApproximately(Sd1Schedule.Sigmas[(int)expected[i]], 1e-9);
        }

        s.Sigmas[^1].Should().Be(0, "final_sigmas_type zero");
        s.InitNoiseSigma.Should().Be(1);
    }

    [Fact]
    public void Heun_lists_each_interior_timestep_twice()
    {
        var s = new HeunDiscreteScheduler(Sd1);
        s.SetTimesteps(20);
        s.Timesteps.Should().HaveCount(39);
        s.Order.Should().Be(2);
        for (var k = 1; k < 20; k++)
        {
            s.Timesteps[(2 * k) - 1].Should().Be(s.Timesteps[2 * k]);
        }
    }

    [Fact]
    public void KDPM2_interleaves_the_geometric_midpoints()
    {
        var s = new KDPM2DiscreteScheduler(Sd1);
        s.SetTimesteps(10);
        var euler = new EulerDiscreteScheduler(Sd1);
        euler.SetTimesteps(10);
        s.Timesteps.Should().HaveCount(19);
        for (var k = 1; k < 10; k++)
        {
            // entry 2k-1 is the midpoint between sigma(k-1) and sigma(k); entry 2k is t(k)
            s.Timesteps[2 * k].Should().BeApproximately(euler.Timesteps[k], 1e-3);
            var mid = Math.Sqrt(euler.Sigmas[k - 1] * euler.Sigmas[k]);
            Sd1Schedule.SigmaAt(s.Timesteps[(2 * k) - 1]).Should().BeApproximately(mid, mid * 2e-3);
        }
    }

    [Fact]
    public void PNDM_plms_repeats_the_second_timestep()
    {
        var s = new PNDMScheduler(Sd1);
        s.SetTimesteps(50);
        s.Timesteps.Should().HaveCount(51);
        s.Timesteps.Take(4).Should().Equal(981, 961, 961, 941);
        s.Timesteps[^1].Should().Be(1);
    }

    [Fact]
    public void LCM_picks_from_the_50_step_origin_grid()
    {
        var s = new LCMScheduler(Sd1);
        s.SetTimesteps(4);
        // origin grid 999, 979, ..., 19; indices floor(i * 50 / 4) = 0, 12, 25, 37
        s.Timesteps.Should().Equal(999, 759, 499, 259);
        s.Invoking(x => x.SetTimesteps(51)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*original_inference_steps*");
    }

    [Fact]
    public void DPMSolver_singlestep_order_list_matches_diffusers_get_order_list()
    {
        DPMSolverSinglestepScheduler.OrdersFor(6, 2, true, true).Should().Equal(1, 2, 1, 2, 1, 1);
        DPMSolverSinglestepScheduler.OrdersFor(5, 2, true, true).Should().Equal(1, 2, 1, 2, 1);
        DPMSolverSinglestepScheduler.OrdersFor(7, 3, true, true).Should().Equal(1, 2, 3, 1, 2, 3, 1);
        DPMSolverSinglestepScheduler.OrdersFor(6, 3, true, true).Should().Equal(1, 2, 3, 1, 2, 1);
        DPMSolverSinglestepScheduler.OrdersFor(6, 3, false, false).Should().Equal(1, 2, 3, 1, 2, 3);
    }

    [Fact]
    public void Img2img_strength_keeps_the_tail_of_the_schedule_in_model_calls()
    {
        var heun = new HeunDiscreteScheduler(Sd1);
        heun.SetTimesteps(20);
        var all = heun.Timesteps.ToArray();
        var tail = heun.TimestepsForStrength(0.5);
        // init = int(20 * 0.5) = 10, t_start = 10, begin index = t_start * order = 20
        heun.BeginIndex.Should().Be(20);
        tail.Should().Equal(all[20..]);

        var ddim = new DDIMScheduler(Sd1);
        ddim.SetTimesteps(20);
        ddim.TimestepsForStrength(0.75).Should().HaveCount(15);
    }

    [Fact]
    public void Scheduler_config_json_of_stable_diffusion_1_5_reads_as_the_defaults()
    {
        // runwayml/stable-diffusion-v1-5 scheduler/scheduler_config.json
        const string json = """
            {
              "_class_name": "PNDMScheduler",
              "_diffusers_version": "0.6.0",
              "beta_end": 0.012,
              "beta_schedule": "scaled_linear",
              "beta_start": 0.00085,
              "num_train_timesteps": 1000,
              "set_alpha_to_one": false,
              "skip_prk_steps": true,
              "steps_offset": 1,
              "trained_betas": null,
              "clip_sample": false
            }
            """;
        SchedulerConfig.FromJson(json).Should().Be(SchedulerConfig.StableDiffusion1);

        var custom = SchedulerConfig.FromJson("""{"timestep_spacing":"trailing","use_karras_sigmas":true,"algorithm_type":"sde-dpmsolver++","solver_order":3,"prediction_type":"v_prediction"}""");
        custom.TimestepSpacing.Should().Be("trailing");
        custom.UseKarrasSigmas.Should().BeTrue();
        custom.AlgorithmType.Should().Be("sde-dpmsolver++");
        custom.SolverOrder.Should().Be(3);
        custom.PredictionType.Should().Be("v_prediction");
    }
}
