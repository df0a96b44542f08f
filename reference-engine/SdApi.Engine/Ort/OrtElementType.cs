namespace SdApi.Engine.Ort;

/// <summary>ONNX tensor element types (the values of <c>ONNXTensorElementDataType</c> and ONNX's <c>TensorProto.DataType</c>).</summary>
public enum OrtElementType
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
public enum OrtOptimizationLevel
{
    Disabled = 0,
    Basic = 1,
    Extended = 2,
    All = 99,
}
