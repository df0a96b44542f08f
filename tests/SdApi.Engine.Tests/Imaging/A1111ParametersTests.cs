using SdApi.Engine.Imaging;

namespace SdApi.Engine.Tests.Imaging;

public class A1111ParametersTests
{
    [Fact]
    public void Api_fields_become_a1111_labels_in_order()
    {
        var text = A1111Parameters.FromApiFields(
        [
            new("prompt", "a cat"), new("negative_prompt", "ugly"), new("num_inference_steps", "30"),
            new("scheduler", "DDIMScheduler"), new("guidance_scale", "7.5"), new("seed", "42"),
            new("width", "512"), new("height", "768"), new("model_id", "my-model"), new("vae", null),
        ]);

        text.Should().Be("a cat\nNegative prompt: ugly\nSteps: 30, Sampler: DDIMScheduler, CFG scale: 7.5, Seed: 42, Size: 512x768, Model: my-model");
    }

    [Fact]
    public void Values_with_commas_are_quoted_and_parse_back()
    {
        var settings = new List<KeyValuePair<string, string>> { new("Steps", "20"), new("Lora", "ganyu-lora,more_details"), new("Seed", "7") };
        var text = A1111Parameters.Format("line one\nline two", "bad, ugly", settings);

        text.Should().EndWith("Steps: 20, Lora: \"ganyu-lora,more_details\", Seed: 7");
        var (prompt, negative, parsed) = A1111Parameters.Parse(text);
        prompt.Should().Be("line one\nline two");
        negative.Should().Be("bad, ugly");
        parsed.Should().Equal(settings);
    }

    [Fact]
    public void Without_negative_prompt_no_negative_line_is_written()
    {
        A1111Parameters.Format("p", null, [new("Seed", "1")]).Should().Be("p\nSeed: 1");
    }

    [Fact]
    public void Quoted_values_with_escapes_parse_back()
    {
        var settings = new List<KeyValuePair<string, string>> { new("Note", "say \"hi\", then: go"), new("Seed", "3") };

        var (_, _, parsed) = A1111Parameters.Parse(A1111Parameters.Format("p", null, settings));

        parsed.Should().Equal(settings);
    }
}
