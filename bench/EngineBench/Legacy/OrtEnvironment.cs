// Before: the hand-written ORT C-API binding the engine used until Microsoft.ML.OnnxRuntime (commit c168fe7), kept only
// so EngineBench measures it against the managed API in the same run, over the same native library. Not used elsewhere.
using System.Text;

namespace EngineBench.Legacy;

/// <summary>The process-wide <c>OrtEnv</c> (ORT allows one per process); created on first use, never released.</summary>
internal static unsafe class OrtEnvironment
{
    private const int LoggingLevelWarning = 2;
    private static readonly Lazy<OrtEnvHandle> Env = new(Create, LazyThreadSafetyMode.ExecutionAndPublication);

    public static OrtEnvHandle Handle => Env.Value;

    private static OrtEnvHandle Create()
    {
        var logId = Encoding.UTF8.GetBytes("sdapi-engine\0");
        nint env;
        fixed (byte* id = logId)
            OrtApi.Check(OrtApi.CreateEnv(LoggingLevelWarning, id, &env));
        return new OrtEnvHandle(env);
    }
}
