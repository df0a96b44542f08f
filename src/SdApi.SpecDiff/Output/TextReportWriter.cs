using System.Text;
using SdApi.SpecDiff.Model;

namespace SdApi.SpecDiff.Output;

/// <summary>The human-readable `sdapi diff` report: breaking changes first, each with who it breaks and where.</summary>
public static class TextReportWriter
{
    public static string Write(DiffReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        text.AppendLine($"Comparing {report.OldSpec} -> {report.NewSpec}");
        if (report.Changes.Count == 0)
        {
            text.AppendLine("No differences that the generated bindings see.");
            return text.ToString();
        }
        Section(text, "Breaking changes", report.Breaking.ToList());
        Section(text, "Safe changes", report.Safe.ToList());
        text.AppendLine(report.IsBreaking
            ? $"Verdict: BREAKING ({report.Breaking.Count()} breaking, {report.Safe.Count()} safe)."
            : $"Verdict: safe ({report.Safe.Count()} additive or loosening changes).");
        return text.ToString();
    }

    private static void Section(StringBuilder text, string title, IReadOnlyList<SpecChange> changes)
    {
        if (changes.Count == 0)
            return;
        text.AppendLine().AppendLine($"{title} ({changes.Count}):");
        foreach (var change in changes)
        {
            var who = change.Affects.Count > 0 ? $" [breaks {string.Join(" and ", change.Affects)}]" : "";
            text.AppendLine($"  - {change.Kind}: {change.Message}{who}");
            if (change.Operations.Count > 0)
                text.AppendLine($"      in {string.Join(", ", change.Operations)}");
        }
        text.AppendLine();
    }
}
