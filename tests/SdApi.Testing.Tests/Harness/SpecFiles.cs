using SdApi.Contract.Spec;
using SdApi.Tests.Shared;

namespace SdApi.Testing.Tests.Harness;

/// <summary>openapi.yaml and spec/edge-values.json of this checkout, read once.</summary>
public static class SpecFiles
{
    private static readonly Lazy<ContractSpec> LazySpec = new(() => ContractSpec.Load(RepoPaths.Spec));
    private static readonly Lazy<EdgeTable> LazyEdges = new(() => EdgeTable.Load(Path.Combine(RepoPaths.SpecDir, "edge-values.json")));

    public static ContractSpec Spec => LazySpec.Value;

    public static EdgeTable Edges => LazyEdges.Value;

    public static TheoryData<string> OperationIds()
    {
        var data = new TheoryData<string>();
        foreach (var operation in Spec.Operations) data.Add(operation.OperationId);
        return data;
    }

    /// <summary>(operationId, HTTP status, example name) of every response example.</summary>
    public static TheoryData<string, string, string> ResponseExamples()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var operation in Spec.Operations)
            foreach (var (status, response) in operation.Responses)
                foreach (var example in response.Examples)
                    data.Add(operation.OperationId, status, example.Name);
        return data;
    }
}
