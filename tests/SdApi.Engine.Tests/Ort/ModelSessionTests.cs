using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SdApi.Engine.Onnx;
using SdApi.Engine.Ort;

namespace SdApi.Engine.Tests.Ort;

/// <summary>Runs alone (no other test collection in parallel) so the leak test measures only its own memory.</summary>
[CollectionDefinition(nameof(ModelSessionTests), DisableParallelization = true)]
public sealed class OrtAloneCollection;

[Collection(nameof(ModelSessionTests))]
public sealed class ModelSessionTests
{
    private static readonly SessionSettings OneThread = new(1);

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
    public void Runs_on_onnx_runtime_1_32()
    {
        OrtEnv.Instance().GetVersionString().Should().Be("1.32.0");
    }

    [Fact]
    public void Runs_a_model_written_from_code()
    {
        using var session = ModelSession.Open(AffineModel(), OneThread);
        session.Inputs.Should().ContainSingle().Which.Key.Should().Be("x");
        session.Inputs["x"].ElementDataType.Should().Be(TensorElementType.Float);
        session.Inputs["x"].Dimensions.Should().Equal(-1, 4);
        using var x = OrtValue.CreateTensorValueFromMemory(new float[] { 1, 1, 1, 1, 2, 2, 2, 2 }, [2, 4]);
        using var outputs = session.Run(["x"], [x], ["y"]);
        outputs[0].GetTensorTypeAndShape().Shape.Should().Equal(2, 4);
        outputs[0].GetTensorDataAsSpan<float>().ToArray().Should().Equal(1.5f, 2.5f, 3.5f, 4.5f, 2.5f, 4.5f, 6.5f, 8.5f);
    }

    [Fact]
    public void Runs_into_caller_owned_outputs()
    {
        using var session = ModelSession.Open(AffineModel(), OneThread);
        var result = new float[4];
        using var x = OrtValue.CreateTensorValueFromMemory(new float[] { 1, 2, 3, 4 }, [1, 4]);
        using var y = OrtValue.CreateTensorValueFromMemory(result, [1, 4]);
        session.Run(["x"], [x], ["y"], [y]);
        result.Should().Equal(1.5f, 4.5f, 9.5f, 16.5f);
    }

    [Fact]
    public void AddInitializer_replaces_a_weight_and_the_session_keeps_it_alive()
    {
        var initializers = new Dictionary<string, OrtValue> { ["b"] = OrtValue.CreateTensorValueFromMemory(new[] { 10f, 20f, 30f, 40f }, [4]) };
        using var session = ModelSession.Open(AffineModel(), OneThread, initializers);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var x = OrtValue.CreateTensorValueFromMemory(new float[4], [1, 4]);
        using var outputs = session.Run(["x"], [x], ["y"]);
        outputs[0].GetTensorDataAsSpan<float>().ToArray().Should().Equal(10f, 20f, 30f, 40f);
    }

    [Fact]
    public void An_ort_error_is_an_OnnxRuntimeException_with_orts_message()
    {
        var bad = () => ModelSession.Open(new byte[] { 1, 2, 3, 4, 5 }, OneThread);
        bad.Should().Throw<OnnxRuntimeException>().Which.Message.Should().MatchRegex("(?i)protobuf|parse|model");

        using var session = ModelSession.Open(AffineModel(), OneThread);
        using var wrong = OrtValue.CreateTensorValueFromMemory(new float[3], [1, 3]);
        var run = () => session.Run(["x"], [wrong], ["y"]);
        run.Should().Throw<OnnxRuntimeException>().Which.Message.Should().Contain("x");
    }

    [Fact]
    public void Runs_count_into_the_ort_clock()
    {
        using var session = ModelSession.Open(AffineModel(), OneThread);
        using var x = OrtValue.CreateTensorValueFromMemory(new float[4 * 4096], [4096, 4]);
        var before = OrtRunClock.Elapsed;
        using (session.Run(["x"], [x], ["y"])) { }
        OrtRunClock.Elapsed.Should().BeGreaterThan(before);
    }

    [Fact]
    public void Creating_and_releasing_a_thousand_sessions_and_values_keeps_memory_flat()
    {
        var model = AffineModel();
        var basic = new SessionSettings(1, GraphOptimizationLevel.ORT_ENABLE_BASIC);
        void Cycle(int count)
        {
            for (var i = 0; i < count; i++)
            {
                var initializers = i % 2 == 0 ? new Dictionary<string, OrtValue> { ["b"] = OrtValue.CreateTensorValueFromMemory(new float[4], [4]) } : null;
                using var session = ModelSession.Open(model, basic, initializers);
                using var x = OrtValue.CreateTensorValueFromMemory(new float[4 * 256], [256, 4]);
                using var y = session.Run(["x"], [x], ["y"]);
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
