using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace SdApi.Generator.Diagnostics;

/// <summary>The generator's diagnostics. Each is reported at the line of openapi.yaml it is about.</summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "SdApi.Generator";

    public static readonly DiagnosticDescriptor MalformedSpec = Error("SDAPI001", "openapi.yaml cannot be read");
    public static readonly DiagnosticDescriptor NoSpec = new("SDAPI002", "No openapi.yaml",
        "{0}", Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);
    public static readonly DiagnosticDescriptor UnsupportedOperation = Error("SDAPI003", "Unsupported operation");
    public static readonly DiagnosticDescriptor BadOperationId = Error("SDAPI004", "Missing or invalid operationId");
    public static readonly DiagnosticDescriptor BadRequestBody = Error("SDAPI005", "Unsupported request body");
    public static readonly DiagnosticDescriptor UnknownKind = Error("SDAPI006", "Unknown or missing x-sdapi-kind");
    public static readonly DiagnosticDescriptor BadRule = Error("SDAPI007", "Invalid x-sdapi-rules item");
    public static readonly DiagnosticDescriptor RuleUnknownField = Error("SDAPI008", "Rule names an unknown field");
    public static readonly DiagnosticDescriptor BadOperationKind = Error("SDAPI009", "Missing or unknown operation x-sdapi-kind");
    public static readonly DiagnosticDescriptor MissingTag = Error("SDAPI010", "Operation without a tag");
    public static readonly DiagnosticDescriptor BadResponse = Error("SDAPI011", "Unsupported response");
    public static readonly DiagnosticDescriptor BadOutcome = Error("SDAPI012", "Invalid outcome union");
    public static readonly DiagnosticDescriptor UnsupportedSchema = Error("SDAPI013", "Unsupported schema construct");
    public static readonly DiagnosticDescriptor DuplicateSpec = new("SDAPI014", "More than one openapi.yaml",
        "{0}", Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

    private static readonly Dictionary<string, DiagnosticDescriptor> All = new()
    {
        [MalformedSpec.Id] = MalformedSpec, [NoSpec.Id] = NoSpec, [UnsupportedOperation.Id] = UnsupportedOperation,
        [BadOperationId.Id] = BadOperationId, [BadRequestBody.Id] = BadRequestBody, [UnknownKind.Id] = UnknownKind,
        [BadRule.Id] = BadRule, [RuleUnknownField.Id] = RuleUnknownField, [BadOperationKind.Id] = BadOperationKind,
        [MissingTag.Id] = MissingTag, [BadResponse.Id] = BadResponse, [BadOutcome.Id] = BadOutcome,
        [UnsupportedSchema.Id] = UnsupportedSchema, [DuplicateSpec.Id] = DuplicateSpec,
    };

    public static DiagnosticDescriptor ById(string id) => All[id];

    private static DiagnosticDescriptor Error(string id, string title)
        => new(id, title, "{0}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
}
