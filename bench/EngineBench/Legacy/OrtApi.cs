// Before: the hand-written ORT C-API binding the engine used until Microsoft.ML.OnnxRuntime (commit c168fe7), kept only
// so EngineBench measures it against the managed API in the same run, over the same native library. Not used elsewhere.
// Hand-written binding because the registry has no Microsoft.ML.OnnxRuntime: slots beyond the reference table (33, 34, 55)
// were checked against onnxruntime_c_api.h (SessionGetInput/OutputTypeInfo follow the counts; CastTypeInfoToTensorInfo
// follows GetStringTensorContent).
using System.Runtime.InteropServices;

namespace EngineBench.Legacy;

/// <summary>
/// The ONNX Runtime C API function table (<c>OrtGetApiBase()->GetApi(version)</c>) of the official
/// <c>libonnxruntime.so.1</c>, indexed by slot. The table only grows at its end, so slot numbers are stable;
/// each slot used here is named after its field in <c>onnxruntime_c_api.h</c>.
/// </summary>
internal static unsafe class OrtApi
{
    /// <summary>API version requested: 20 covers everything called here (AddInitializer is older).</summary>
    private const uint ApiVersion = 20;
    private const string LibraryFile = "libonnxruntime.so"; // the NuGet package's file, which the engine copies beside the assemblies

    private static readonly Lazy<nint> Table = new(LoadTable, LazyThreadSafetyMode.ExecutionAndPublication);

    [StructLayout(LayoutKind.Sequential)]
    private struct OrtApiBase
    {
        public delegate* unmanaged<uint, void**> GetApi;
        public delegate* unmanaged<byte*> GetVersionString;
    }

    /// <summary>The native library's version string, e.g. "1.30.0".</summary>
    public static string Version
    {
        get
        {
            var baseApi = (OrtApiBase*)GetApiBase();
            return Marshal.PtrToStringUTF8((nint)baseApi->GetVersionString()) ?? "";
        }
    }

    private static void** Api => (void**)Table.Value;

    private static nint LoadTable()
    {
        var baseApi = (OrtApiBase*)GetApiBase();
        var api = baseApi->GetApi(ApiVersion);
        if (api == null)
            throw new OrtException($"libonnxruntime does not offer C API version {ApiVersion}.");
        return (nint)api;
    }

    private static nint GetApiBase()
    {
        var library = LoadLibrary();
        var export = NativeLibrary.GetExport(library, "OrtGetApiBase");
        return (nint)((delegate* unmanaged<void*>)export)();
    }

    private static nint _library;

    private static nint LoadLibrary()
    {
        if (_library != 0) return _library;
        // The engine project copies the npm package's library next to the assembly; fall back to the loader path.
        var besideAssembly = Path.Combine(AppContext.BaseDirectory, LibraryFile);
        var besideEngine = Path.Combine(Path.GetDirectoryName(typeof(OrtApi).Assembly.Location) ?? "", LibraryFile);
        foreach (var candidate in new[] { besideEngine, besideAssembly })
            if (File.Exists(candidate))
                return _library = NativeLibrary.Load(candidate);
        return _library = NativeLibrary.Load(LibraryFile);
    }

    /// <summary>Throws an <see cref="OrtException"/> carrying ORT's message when <paramref name="status"/> is not NULL.</summary>
    public static void Check(nint status)
    {
        if (status == 0) return;
        var code = ((delegate* unmanaged<nint, int>)Api[1])(status);
        var message = Marshal.PtrToStringUTF8(((delegate* unmanaged<nint, nint>)Api[2])(status)) ?? "";
        ((delegate* unmanaged<nint, void>)Api[93])(status); // ReleaseStatus
        throw new OrtException(message, code);
    }

    // ---- environment, options, sessions ----
    public static nint CreateEnv(int logLevel, byte* logId, nint* env) =>
        ((delegate* unmanaged<int, byte*, nint*, nint>)Api[3])(logLevel, logId, env);
    public static nint CreateSession(nint env, byte* path, nint options, nint* session) =>
        ((delegate* unmanaged<nint, byte*, nint, nint*, nint>)Api[7])(env, path, options, session);
    public static nint CreateSessionFromArray(nint env, void* bytes, nuint length, nint options, nint* session) =>
        ((delegate* unmanaged<nint, void*, nuint, nint, nint*, nint>)Api[8])(env, bytes, length, options, session);
    public static nint Run(nint session, nint runOptions, nint* inputNames, nint* inputs, nuint inputCount,
        nint* outputNames, nuint outputCount, nint* outputs) =>
        ((delegate* unmanaged<nint, nint, nint*, nint*, nuint, nint*, nuint, nint*, nint>)Api[9])(
            session, runOptions, inputNames, inputs, inputCount, outputNames, outputCount, outputs);
    public static nint CreateSessionOptions(nint* options) =>
        ((delegate* unmanaged<nint*, nint>)Api[10])(options);
    public static nint SetSessionGraphOptimizationLevel(nint options, int level) =>
        ((delegate* unmanaged<nint, int, nint>)Api[23])(options, level);
    public static nint SetIntraOpNumThreads(nint options, int threads) =>
        ((delegate* unmanaged<nint, int, nint>)Api[24])(options, threads);
    public static nint SetInterOpNumThreads(nint options, int threads) =>
        ((delegate* unmanaged<nint, int, nint>)Api[25])(options, threads);
    public static nint SessionGetInputCount(nint session, nuint* count) =>
        ((delegate* unmanaged<nint, nuint*, nint>)Api[30])(session, count);
    public static nint SessionGetOutputCount(nint session, nuint* count) =>
        ((delegate* unmanaged<nint, nuint*, nint>)Api[31])(session, count);
    public static nint SessionGetInputTypeInfo(nint session, nuint index, nint* typeInfo) =>
        ((delegate* unmanaged<nint, nuint, nint*, nint>)Api[33])(session, index, typeInfo);
    public static nint SessionGetOutputTypeInfo(nint session, nuint index, nint* typeInfo) =>
        ((delegate* unmanaged<nint, nuint, nint*, nint>)Api[34])(session, index, typeInfo);
    public static nint SessionGetInputName(nint session, nuint index, nint allocator, byte** name) =>
        ((delegate* unmanaged<nint, nuint, nint, byte**, nint>)Api[36])(session, index, allocator, name);
    public static nint SessionGetOutputName(nint session, nuint index, nint allocator, byte** name) =>
        ((delegate* unmanaged<nint, nuint, nint, byte**, nint>)Api[37])(session, index, allocator, name);

    // ---- tensors ----
    public static nint CreateTensorAsOrtValue(nint allocator, long* shape, nuint rank, int elementType, nint* value) =>
        ((delegate* unmanaged<nint, long*, nuint, int, nint*, nint>)Api[48])(allocator, shape, rank, elementType, value);
    public static nint CreateTensorWithDataAsOrtValue(nint memoryInfo, void* data, nuint byteLength, long* shape, nuint rank, int elementType, nint* value) =>
        ((delegate* unmanaged<nint, void*, nuint, long*, nuint, int, nint*, nint>)Api[49])(memoryInfo, data, byteLength, shape, rank, elementType, value);
    public static nint GetTensorMutableData(nint value, void** data) =>
        ((delegate* unmanaged<nint, void**, nint>)Api[51])(value, data);
    public static nint CastTypeInfoToTensorInfo(nint typeInfo, nint* tensorInfo) =>
        ((delegate* unmanaged<nint, nint*, nint>)Api[55])(typeInfo, tensorInfo);
    public static nint GetTensorElementType(nint info, int* elementType) =>
        ((delegate* unmanaged<nint, int*, nint>)Api[60])(info, elementType);
    public static nint GetDimensionsCount(nint info, nuint* count) =>
        ((delegate* unmanaged<nint, nuint*, nint>)Api[61])(info, count);
    public static nint GetDimensions(nint info, long* dims, nuint count) =>
        ((delegate* unmanaged<nint, long*, nuint, nint>)Api[62])(info, dims, count);
    public static nint GetTensorTypeAndShape(nint value, nint* info) =>
        ((delegate* unmanaged<nint, nint*, nint>)Api[65])(value, info);
    public static nint CreateCpuMemoryInfo(int allocatorType, int memoryType, nint* info) =>
        ((delegate* unmanaged<int, int, nint*, nint>)Api[69])(allocatorType, memoryType, info);
    public static nint AllocatorFree(nint allocator, void* pointer) =>
        ((delegate* unmanaged<nint, void*, nint>)Api[76])(allocator, pointer);
    public static nint GetAllocatorWithDefaultOptions(nint* allocator) =>
        ((delegate* unmanaged<nint*, nint>)Api[78])(allocator);
    public static nint AddInitializer(nint options, byte* name, nint value) =>
        ((delegate* unmanaged<nint, byte*, nint, nint>)Api[150])(options, name, value);

    // ---- releases (slots 92..100) ----
    public static void ReleaseEnv(nint p) => ((delegate* unmanaged<nint, void>)Api[92])(p);
    public static void ReleaseSession(nint p) => ((delegate* unmanaged<nint, void>)Api[95])(p);
    public static void ReleaseValue(nint p) => ((delegate* unmanaged<nint, void>)Api[96])(p);
    public static void ReleaseTypeInfo(nint p) => ((delegate* unmanaged<nint, void>)Api[98])(p);
    public static void ReleaseTensorTypeAndShapeInfo(nint p) => ((delegate* unmanaged<nint, void>)Api[99])(p);
    public static void ReleaseSessionOptions(nint p) => ((delegate* unmanaged<nint, void>)Api[100])(p);

    private static readonly Lazy<nint> CpuMemory = new(() =>
    {
        nint info;
        Check(CreateCpuMemoryInfo(1 /* OrtArenaAllocator */, 0 /* OrtMemTypeDefault */, &info));
        return info;
    });

    /// <summary>CPU memory info for tensors over caller-owned buffers (one per process, never released).</summary>
    public static nint CpuMemoryInfo => CpuMemory.Value;

    /// <summary>ORT's default CPU allocator (never released).</summary>
    public static nint DefaultAllocator
    {
        get
        {
            nint allocator;
            Check(GetAllocatorWithDefaultOptions(&allocator));
            return allocator;
        }
    }
}
