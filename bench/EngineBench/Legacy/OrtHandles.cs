// Before: the hand-written ORT C-API binding the engine used until Microsoft.ML.OnnxRuntime (commit c168fe7), kept only
// so EngineBench measures it against the managed API in the same run, over the same native library. Not used elsewhere.
using Microsoft.Win32.SafeHandles;

namespace EngineBench.Legacy;

/// <summary>A native ORT object released through its own <c>Release*</c> slot when the handle is disposed or finalized.</summary>
internal abstract class OrtHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    protected OrtHandle() : base(ownsHandle: true) { }

    /// <summary>Takes ownership of <paramref name="pointer"/>.</summary>
    protected void Own(nint pointer) => SetHandle(pointer);

    /// <summary>The raw pointer, for passing to a C API call while this handle is alive.</summary>
    public nint Pointer => handle;
}

internal sealed class OrtEnvHandle : OrtHandle
{
    public OrtEnvHandle(nint p) => Own(p);
    protected override bool ReleaseHandle() { OrtApi.ReleaseEnv(handle); return true; }
}

internal sealed class OrtSessionOptionsHandle : OrtHandle
{
    public OrtSessionOptionsHandle(nint p) => Own(p);
    protected override bool ReleaseHandle() { OrtApi.ReleaseSessionOptions(handle); return true; }
}

internal sealed class OrtSessionHandle : OrtHandle
{
    public OrtSessionHandle(nint p) => Own(p);
    protected override bool ReleaseHandle() { OrtApi.ReleaseSession(handle); return true; }
}

internal sealed class OrtValueHandle : OrtHandle
{
    public OrtValueHandle(nint p) => Own(p);
    protected override bool ReleaseHandle() { OrtApi.ReleaseValue(handle); return true; }
}

internal sealed class OrtTypeInfoHandle : OrtHandle
{
    public OrtTypeInfoHandle(nint p) => Own(p);
    protected override bool ReleaseHandle() { OrtApi.ReleaseTypeInfo(handle); return true; }
}

internal sealed class OrtTensorInfoHandle : OrtHandle
{
    public OrtTensorInfoHandle(nint p) => Own(p);
    protected override bool ReleaseHandle() { OrtApi.ReleaseTensorTypeAndShapeInfo(handle); return true; }
}
