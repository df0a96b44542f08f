using SdApi.Engine.Schedulers;

namespace SdApi.Engine.Tests.Schedulers;

public sealed class SchedulerFactoryTests
{
    public static TheoryData<string> Names => [.. SchedulerFactory.ApiNames];

    [Fact]
    public void The_eighteen_names_are_the_ones_the_spec_accepts()
    {
        // openapi.yaml lists the scheduler values of every endpoint as "- <Name>Scheduler" items.
        var spec = File.ReadAllText(SdApi.Tests.Shared.RepoPaths.Spec);
        var inSpec = System.Text.RegularExpressions.Regex.Matches(spec, @"^\s*- (\w+Scheduler)\s*$", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value)
            .ToHashSet();
        SchedulerFactory.ApiNames.Should().HaveCount(18).And.OnlyHaveUniqueItems();
        inSpec.Should().BeEquivalentTo(SchedulerFactory.ApiNames);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_name_creates_its_class_case_insensitively(string name)
    {
        var scheduler = SchedulerFactory.Create(name.ToLowerInvariant(), SchedulerConfig.StableDiffusion1);
        scheduler.ApiName.Should().Be(name);
        scheduler.GetType().Name.Should().Be(name);
    }

    [Fact]
    public void An_unknown_name_lists_the_valid_names()
    {
        var act = () => SchedulerFactory.Create("EulerFancyScheduler", SchedulerConfig.StableDiffusion1);
        var message = act.Should().Throw<ArgumentException>().Which.Message;
        message.Should().Contain("EulerFancyScheduler");
        foreach (var name in SchedulerFactory.ApiNames)
        {
            message.Should().Contain(name);
        }
    }

    [Fact]
    public void Request_options_override_the_configuration()
    {
        var karras = (EulerDiscreteScheduler)SchedulerFactory.Create("EulerDiscreteScheduler", SchedulerConfig.StableDiffusion1, useKarrasSigmas: true);
        karras.Config.UseKarrasSigmas.Should().BeTrue();

        var sde = (DPMSolverMultistepScheduler)SchedulerFactory.Create("DPMSolverMultistepScheduler", SchedulerConfig.StableDiffusion1, null, "sde-dpmsolver++");
        sde.AlgorithmType.Should().Be("sde-dpmsolver++");
        sde.IsStochastic.Should().BeTrue();

        // "none"/"no" keep the default; the API docs' example value "dpmsolver+++" means dpmsolver++.
        ((DPMSolverMultistepScheduler)SchedulerFactory.Create("DPMSolverMultistepScheduler", SchedulerConfig.StableDiffusion1, null, "no")).AlgorithmType.Should().Be("dpmsolver++");
        ((DPMSolverMultistepScheduler)SchedulerFactory.Create("DPMSolverMultistepScheduler", SchedulerConfig.StableDiffusion1, null, "dpmsolver+++")).AlgorithmType.Should().Be("dpmsolver++");

        // dpmsolver (noise prediction) cannot end at sigma 0 in diffusers; it ends at sigma_min here.
        ((DPMSolverMultistepScheduler)SchedulerFactory.Create("DPMSolverMultistepScheduler", SchedulerConfig.StableDiffusion1, null, "dpmsolver")).FinalSigmasType.Should().Be("sigma_min");

        var bad = () => SchedulerFactory.Create("DPMSolverMultistepScheduler", SchedulerConfig.StableDiffusion1, null, "dpm-fast");
        bad.Should().Throw<ArgumentException>().WithMessage("*dpm-fast*dpmsolver++*");
    }

    [Fact]
    public void Stepping_before_SetTimesteps_is_a_clear_error()
    {
        var s = SchedulerFactory.Create("DDIMScheduler", SchedulerConfig.StableDiffusion1);
        var x = new float[4];
        var act = () => s.Step(x, 1, x);
        act.Should().Throw<InvalidOperationException>().WithMessage("*SetTimesteps*");
    }
}
