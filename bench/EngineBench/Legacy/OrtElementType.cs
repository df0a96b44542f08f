// Before: the hand-written ORT C-API binding the engine used until Microsoft.ML.OnnxRuntime (commit c168fe7), kept only
// so EngineBench measures it against the managed API in the same run, over the same native library. Not used elsewhere.
namespace EngineBench.Legacy;

/// <summary>ONNX tensor element types (the values of <c>ONNXTensorElementDataType</c> and ONNX's <c>TensorProto.DataType</c>).</summary>
internal enum OrtElementType
{
    Undefined = 0,
    Float = 1,
    UInt8 = 2,
    Int32 = 6,
    Int64 = 7,
    Float16 = 10,
    Double = 11,
}

/// <summary>ORT's graph optimisation levels (<c>GraphOptimizationLevel</c>).</summary>
internal enum OrtOptimizationLevel
{
    Disabled = 0,
    Basic = 1,
    Extended = 2,
    All = 99,
}
