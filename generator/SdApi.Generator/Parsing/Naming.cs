using System.Collections.Generic;
using System.Text;

namespace SdApi.Generator.Parsing;

/// <summary>C# names from wire names: <c>num_inference_steps</c> -> <c>NumInferenceSteps</c>, <c>tip_1</c> -> <c>Tip1</c>.</summary>
internal static class Naming
{
    private static readonly HashSet<string> Reserved = new()
    {
        "AdditionalProperties", "WireIssues", "EqualityContract", "Validate", "WriteJson", "ReadJson", "ToJson", "FromJson",
        "ToString", "GetHashCode", "Equals", "GetType", "Kind", "Match",
    };

    public static string Pascal(string wireName)
    {
        var sb = new StringBuilder();
        var upper = true;
        foreach (var c in wireName)
        {
            if (char.IsLetterOrDigit(c))
            {
                sb.Append(upper ? char.ToUpperInvariant(c) : c);
                upper = false;
            }
            else
            {
                upper = true;
            }
        }
        if (sb.Length == 0) sb.Append("Value");
        if (char.IsDigit(sb[0])) sb.Insert(0, "Value");
        return sb.ToString();
    }

    public static string Property(string wireName)
    {
        var name = Pascal(wireName);
        return Reserved.Contains(name) ? name + "Value" : name;
    }

    public static string Camel(string pascal)
    {
        var s = char.ToLowerInvariant(pascal[0]) + pascal.Substring(1);
        return Microsoft.CodeAnalysis.CSharp.SyntaxFacts.GetKeywordKind(s) != Microsoft.CodeAnalysis.CSharp.SyntaxKind.None ? "@" + s : s;
    }

    /// <summary>A C# string literal for the text.</summary>
    public static string Literal(string? text)
        => text is null ? "null" : Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(text, quote: true);
}
