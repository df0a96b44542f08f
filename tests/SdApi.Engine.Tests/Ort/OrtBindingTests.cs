using System.Diagnostics;
using SdApi.Engine.Onnx;
using SdApi.Engine.Ort;

namespace SdApi.Engine.Tests.Ort;

/// <summary>Runs alone (no other test collection in parallel) so the leak test measures only its own memory.</summary>
[CollectionDefinition(nameof(OrtBindingTests), DisableParallelization = true)]
public sealed class OrtAloneCollection;

[Collection(nameof(OrtBindingTests))]
public sealed class OrtBindingTests
{
    /// <summary>y = x * w + b with w and b initializers (b overridable through AddInitializer).</summary>
    private static byte[] AffineModel()
    {
        var g = new OnnxGraphBuilder("affine");
        var x = g.Input("x", OrtElementType.Float, "n", 4L);
        var w = g.Initializer("w", [1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 3, 0, 0, 0, 0, 4], 4, 4);
        var b = g.Initializer("b", [0.5f, 0.5f, 0.5f, 0.5f], 4);
        g.Output("y", g.Add(g.MatMul(x, w), b), OrtElementType.Float, "n", 4L);
        return g.ToModelBytes();
    }

    [Fact]
    public void Reports_the_library_version()
    {
        var version = typeof(OrtTensor).Assembly.GetType("SdApi.Engine.Ort.OrtApi")!.GetProperty("Version")!.GetValue(null) as string;
        version.Should().Be("1.30.0");
    }

    [Fact]
    public void Runs_a_model_written_from_code()
    {
        using var session = OrtInferenceSession.FromBytes(AffineModel(), new OrtSessionOptions(1, OrtOptimizationLevel.All));
        session.Inputs.Should().ContainSingle().Which.Should().Match<OrtNodeInfo>(i => i.Name == "x" && i.ElementType == OrtElementType.Float);
        session.Inputs[0].Shape.Should().Equal(-1, 4);
        using var x = OrtTensor.FromFloats([1, 1, 1, 1, 2, 2, 2, 2], 2, 4);
        var outputs = session.Run([new("x", x)], ["y"]);
        using var y = outputs[0];
        y.Shape.Should().Equal(2, 4);
        y.ToFloats().Should().Equal(1.5f, 2.5f, 3.5f, 4.5f, 2.5f, 4.5f, 6.5f, 8.5f);
    }

    [Fact]
    public void AddInitializer_replaces_a_weight_at_session_creation()
    {
        var options = new OrtSessionOptions(1);
        options.AddInitializer("b", OrtTensor.FromFloatsUserOwned([10f, 20f, 30f, 40f], 4));
        using var session = OrtInferenceSession.FromBytes(AffineModel(), options);
        using var x = OrtTensor.FromFloats(new float[4], 1, 4);
        using var y = session.Run([new("x", x)], ["y"])[0];
        y.ToFloats().Should().Equal(10f, 20f, 30f, 40f);
    }

    [Fact]
    public void An_ort_error_becomes_an_exception_with_orts_message()
    {
        var bad = () => OrtInferenceSession.FromBytes([1, 2, 3, 4, 5], new OrtSessionOptions(1));
        bad.Should().Throw<OrtException>().Which.Message.Should().Contain("ONNX Runtime").And.MatchRegex("(?i)protobuf|parse|model");

        using var session = OrtInferenceSession.FromBytes(AffineModel(), new OrtSessionOptions(1));
        using var wrong = OrtTensor.FromFloats(new float[3], 1, 3);
        var run = () => session.Run([new("x", wrong)], ["y"]);
        run.Should().Throw<OrtException>().Which.Message.Should().Contain("x");
    }

    [Fact]
    public void Tensor_data_must_match_the_shape()
    {
        var act = () => OrtTensor.FromFloats(new float[5], 2, 2);
        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Creating_and_releasing_a_thousand_sessions_and_values_keeps_memory_flat()
    {
        var model = AffineModel();
        void Cycle(int count)
        {
            for (var i = 0; i < count; i++)
            {
                var options = new OrtSessionOptions(1, OrtOptimizationLevel.Basic);
                if (i % 2 == 0) options.AddInitializer("b", OrtTensor.FromFloatsUserOwned(new float[4], 4));
                using var session = OrtInferenceSession.FromBytes(model, options);
                using var x = OrtTensor.FromFloats(new float[4 * 256], 256, 4);
                using var y = session.Run([new("x", x)], ["y"])[0];
            }
        }
        static long Resident()
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            using var process = Process.GetCurrentProcess();
            return process.WorkingSet64;
        }

        Cycle(1000); // warm up: ORT thread pools, allocator arenas and glibc malloc arenas settle first
        var before = Resident();
        Cycle(1000);
        var after = Resident();
        (after - before).Should().BeLessThan(16L * 1024 * 1024, "1,000 sessions and values must all be released");
    }
}
