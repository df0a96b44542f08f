namespace SdApi.Engine.Ort;

/// <summary>
/// ONNX tensor element types as the model files spell them (<c>TensorProto.DataType</c>), for the ONNX graph
/// builders and reader; sessions report ORT's own <see cref="Microsoft.ML.OnnxRuntime.Tensors.TensorElementType"/>,
/// which has the same values.
/// </summary>
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
