using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace SdApi.Generator.Model;

/// <summary>A diagnostic as plain data (equatable), turned into a Roslyn Diagnostic only when reported.</summary>
internal sealed record DiagnosticInfo(
    string Id,
    string Message,
    string FilePath,
    int Line,
    int Column,
    int EndLine,
    int EndColumn)
{
    public Diagnostic ToDiagnostic()
    {
        var descriptor = Diagnostics.DiagnosticDescriptors.ById(Id);
        var span = new LinePositionSpan(new LinePosition(Line, Column), new LinePosition(EndLine, EndColumn));
        var location = Location.Create(FilePath, default, span);
        return Diagnostic.Create(descriptor, location, Message);
    }
}

/// <summary>The parse step's output: the model (null when the spec is unusable) and the diagnostics.</summary>
internal sealed record ParseResult(ApiSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>One emitted file.</summary>
internal sealed record GeneratedSource(string HintName, string Text);
