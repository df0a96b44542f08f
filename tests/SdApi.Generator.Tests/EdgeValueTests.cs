using SdApi.Bindings;
using SdApi.Generator.Tests.Infrastructure;

namespace SdApi.Generator.Tests;

/// <summary>spec/edge-values.json drives the generated validators: every row's verdict, and for invalid rows the field
/// (and the rule id, or the reader's wire-type issue), and for every row the warnings it expects.</summary>
public class EdgeValueTests
{
    public static IEnumerable<object[]> Rows() => EdgeTable.RowIds();

    [Theory]
    [MemberData(nameof(Rows))]
    public void Validator_agrees_with_the_edge_row(string id)
    {
        var row = EdgeTable.Get(id);
        var operation = SdApiOperations.FindById(row.Operation)!;
        var result = operation.ValidateJson(row.Body);
        var body = System.Text.Encoding.UTF8.GetString(row.Body);
        result.Warnings.Select(w => w.RuleId).Distinct().Should().BeEquivalentTo(row.Warnings, $"{id} expects these warnings: {result}");
        result.Warnings.Should().NotContain(w => w.Severity != Bindings.Validation.RuleSeverity.Warning);
        result.Violations.Should().NotContain(v => v.Severity != Bindings.Validation.RuleSeverity.Error);
        if (row.Valid)
        {
            result.IsValid.Should().BeTrue($"{id} is valid but got {result.ToJson()} for {body}");
            return;
        }
        result.IsValid.Should().BeFalse($"{id} is invalid ({row.Field}) but passed: {body}");
        result.Errors.Keys.Should().Contain(row.Field, $"{id}: {result.ToJson()}");
        result.Violations.Where(v => v.Field == row.Field).Select(v => v.RuleId).Should().Contain(r => r == row.Rule || r == "wire-type", id);
    }

    [Fact]
    public void The_table_covers_every_operation_and_both_verdicts()
    {
        EdgeTable.Rows.Select(r => r.Operation).Distinct().Should().HaveCountGreaterThan(5);
        EdgeTable.Rows.Should().Contain(r => r.Valid).And.Contain(r => !r.Valid);
    }
}
