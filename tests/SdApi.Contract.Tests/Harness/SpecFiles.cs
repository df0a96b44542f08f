using SdApi.Contract.Spec;
using SdApi.Tests.Shared;

namespace SdApi.Contract.Tests.Harness;

/// <summary>openapi.yaml and spec/edge-values.json of this checkout, read once.</summary>
public static class SpecFiles
{
    private static readonly Lazy<ContractSpec> LazySpec = new(() => ContractSpec.Load(RepoPaths.Spec));
    private static readonly Lazy<EdgeTable> LazyEdges = new(() => EdgeTable.Load(Path.Combine(RepoPaths.SpecDir, "edge-values.json")));

    public static ContractSpec Spec => LazySpec.Value;

    public static EdgeTable Edges => LazyEdges.Value;

    /// <summary>Operation ids, for [MemberData].</summary>
    public static TheoryData<string> OperationIds()
    {
        var data = new TheoryData<string>();
        foreach (var operation in Spec.Operations) data.Add(operation.OperationId);
        return data;
    }

    /// <summary>(operationId, example name) of every request example.</summary>
    public static TheoryData<string, string> RequestExamples()
    {
        var data = new TheoryData<string, string>();
        foreach (var operation in Spec.Operations)
            foreach (var example in operation.RequestExamples)
                data.Add(operation.OperationId, example.Name);
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

    /// <summary>Edge-value row ids, valid or invalid.</summary>
    public static TheoryData<string> EdgeRows(bool valid)
    {
        var data = new TheoryData<string>();
        foreach (var row in Edges.Rows.Where(r => r.Valid == valid)) data.Add(row.Id);
        return data;
    }

    public static EdgeRow Row(string id) => Edges.Rows.Single(r => r.Id == id);
}
