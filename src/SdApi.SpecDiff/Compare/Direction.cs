namespace SdApi.SpecDiff.Compare;

/// <summary>Which way a schema travels. A request is written by callers and read by servers; a response (and a
/// webhook body) is written by servers and read by callers. Narrowing a request breaks callers; widening a
/// response breaks callers.</summary>
internal enum Direction
{
    Request,
    Response,
}
