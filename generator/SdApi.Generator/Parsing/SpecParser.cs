using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using NJsonSchema;
using NSwag;
using SdApi.Generator.Diagnostics;
using SdApi.Generator.Model;

namespace SdApi.Generator.Parsing;

/// <summary>openapi.yaml -> <see cref="ApiSpec"/>. NSwag.Core.Yaml reads the document; this class walks it once
/// and keeps only plain data. Anything it cannot represent becomes a diagnostic at the spec's line.</summary>
internal sealed class SpecParser
{
    private static readonly Regex OperationIdPattern = new("^(v[0-9]+)([A-Z][A-Za-z0-9]*)$");
    private static readonly Regex PathParameterPattern = new(@"\{([A-Za-z_][A-Za-z0-9_]*)\}");

    /// <summary>The x-sdapi-kind name of a property kind (as the spec spells it).</summary>
    internal static string KindName(PropertyKind kind) => Kinds.First(k => k.Value == kind).Key;

    private static readonly Dictionary<string, PropertyKind> Kinds = new()
    {
        ["string"] = PropertyKind.String, ["integer"] = PropertyKind.Integer, ["number"] = PropertyKind.Number,
        ["boolean"] = PropertyKind.Boolean, ["yes-no"] = PropertyKind.YesNo, ["enum"] = PropertyKind.Enum,
        ["id-list"] = PropertyKind.IdList, ["number-list"] = PropertyKind.NumberList, ["image"] = PropertyKind.Image,
        ["object"] = PropertyKind.Object, ["array"] = PropertyKind.Array, ["int-or-string"] = PropertyKind.IntOrString,
        ["string-list-or-empty"] = PropertyKind.StringListOrEmpty, ["message"] = PropertyKind.Message,
        ["any"] = PropertyKind.Any,
    };

    private static readonly HashSet<string> OperationKinds = new() { "generate", "fetch", "model-reload" };

    private static readonly HashSet<string> Checks = new()
    {
        "required", "range", "one-of", "multiple-of", "max-length", "url", "list-items-range", "list-count-match", "list-max-count",
        "list-pairs", "same-value", "absent",
    };

    private readonly string _path;
    private readonly string _yaml;
    private readonly List<(string Id, string Message, string Pointer)> _problems = new();
    private readonly Dictionary<JsonSchema, string> _schemaNames = new();
    private readonly Dictionary<string, EnumSpec> _enums = new();

    private SpecParser(string path, string yaml)
    {
        _path = path;
        _yaml = yaml;
    }

    public static ParseResult Parse(string path, string yaml)
        => new SpecParser(path, yaml).Run();

    private ParseResult Run()
    {
        OpenApiDocument document;
        try
        {
            if (string.IsNullOrWhiteSpace(_yaml))
                return Fail("openapi.yaml is empty", 0, 0);
            document = OpenApiYamlDocument.FromYamlAsync(_yaml).ConfigureAwait(false).GetAwaiter().GetResult();
        }
        catch (YamlDotNet.Core.YamlException ex)
        {
            return Fail("openapi.yaml is not valid YAML: " + ex.Message, (int)ex.Start.Line - 1, (int)ex.Start.Column - 1);
        }
        catch (Exception ex)
        {
            var (line, column) = LocateReferenceProblem(ex.Message);
            return Fail("openapi.yaml cannot be read as OpenAPI: " + ex.Message, line, column);
        }

        if (document.Paths is null || document.Paths.Count == 0)
            return Fail("openapi.yaml has no paths", 0, 0);

        foreach (var entry in document.Components.Schemas)
            _schemaNames[entry.Value] = entry.Key;

        var requestModels = new HashSet<string>();
        var operations = ReadOperations(document, requestModels);
        var (outcome, subsetUnions) = SplitOutcomes(ReadOutcomes(document), operations);
        var unionNames = new HashSet<string>(subsetUnions.Select(u => u.Name));
        if (outcome is not null) unionNames.Add(outcome.Name);
        var models = new List<ModelSpec>();
        foreach (var entry in document.Components.Schemas)
        {
            if (unionNames.Contains(entry.Key)) continue;
            var model = ReadModel(entry.Key, entry.Value, requestModels.Contains(entry.Key), outcome);
            if (model is not null) models.Add(model);
        }

        var modelNames = new HashSet<string>(models.Select(m => m.Name));
        foreach (var op in operations)
        {
            if (!modelNames.Contains(op.RequestModel) || (!modelNames.Contains(op.ResponseModel) && !unionNames.Contains(op.ResponseModel)))
                Report(DiagnosticDescriptors.BadResponse.Id, $"Operation '{op.OperationId}' uses a schema the generator could not model", "/paths/" + YamlLocator.Escape(op.Path) + "/post");
        }

        var errorModel = outcome?.Cases.FirstOrDefault(c => c.Value == "error")?.Model
            ?? (modelNames.Contains("ErrorResponse") ? "ErrorResponse" : null);
        var webhook = ReadWebhookModel(document);
        var spec = new ApiSpec(
            document.Info?.Title ?? "API",
            document.Info?.Version ?? "",
            operations.ToEquatableArray(),
            models.ToEquatableArray(),
            _enums.Values.OrderBy(e => e.Name, StringComparer.Ordinal).ToEquatableArray(),
            outcome,
            subsetUnions.ToEquatableArray(),
            errorModel,
            webhook,
            document.Servers?.FirstOrDefault()?.Url);
        var diagnostics = ResolveDiagnostics();
        return new ParseResult(diagnostics.Any(d => DiagnosticDescriptors.ById(d.Id).DefaultSeverity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error) ? null : spec, diagnostics);
    }

    private ParseResult Fail(string message, int line, int column)
        => new(null, new[] { new DiagnosticInfo(DiagnosticDescriptors.MalformedSpec.Id, message, _path, Math.Max(0, line), Math.Max(0, column), Math.Max(0, line), Math.Max(0, column) + 1) }.ToEquatableArray());

    private (int Line, int Column) LocateReferenceProblem(string message)
    {
        // NSwag names an unresolvable $ref in its message; point at the first line that contains it.
        var match = Regex.Match(message, "#/[A-Za-z0-9_./~-]+");
        if (!match.Success) return (0, 0);
        var lines = _yaml.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var col = lines[i].IndexOf(match.Value, StringComparison.Ordinal);
            if (col >= 0) return (i, col);
        }
        return (0, 0);
    }

    private void Report(string id, string message, string pointer) => _problems.Add((id, message, pointer));

    private EquatableArray<DiagnosticInfo> ResolveDiagnostics()
    {
        if (_problems.Count == 0) return EquatableArray<DiagnosticInfo>.Empty;
        var locator = new YamlLocator(_yaml);
        return _problems.Select(p =>
        {
            var (line, col, endLine, endCol) = locator.Find(p.Pointer);
            return new DiagnosticInfo(p.Id, p.Message, _path, line, col, endLine, endCol);
        }).ToEquatableArray();
    }

    private string? SchemaName(JsonSchema? schema)
    {
        if (schema is null) return null;
        if (_schemaNames.TryGetValue(schema, out var name)) return name;
        if (schema.Reference is not null && _schemaNames.TryGetValue(schema.Reference, out name)) return name;
        if (schema.HasReference && _schemaNames.TryGetValue(schema.ActualSchema, out name)) return name;
        if (schema.AllOf.Count == 1) return SchemaName(schema.AllOf.First());
        return null;
    }

    private List<OperationSpec> ReadOperations(OpenApiDocument document, HashSet<string> requestModels)
    {
        var result = new List<OperationSpec>();
        foreach (var pathEntry in document.Paths)
        {
            foreach (var opEntry in pathEntry.Value)
            {
                var pointer = YamlLocator.Pointer("paths", pathEntry.Key, opEntry.Key);
                var op = opEntry.Value;
                if (!string.Equals(opEntry.Key, "post", StringComparison.OrdinalIgnoreCase))
                {
                    Report(DiagnosticDescriptors.UnsupportedOperation.Id, $"Only POST operations are supported; '{opEntry.Key.ToUpperInvariant()} {pathEntry.Key}' is not", pointer);
                    continue;
                }
                var match = OperationIdPattern.Match(op.OperationId ?? "");
                if (!match.Success)
                {
                    Report(DiagnosticDescriptors.BadOperationId.Id, $"operationId '{op.OperationId}' of '{pathEntry.Key}' must be <version><Name>, e.g. v4Text2Img", op.OperationId is null ? pointer : pointer + "/operationId");
                    continue;
                }
                var tag = op.Tags?.FirstOrDefault();
                if (string.IsNullOrEmpty(tag))
                {
                    Report(DiagnosticDescriptors.MissingTag.Id, $"Operation '{op.OperationId}' has no tag; the client groups methods by tag", pointer);
                    continue;
                }
                var kind = ExtensionValue.AsString(ExtensionValue.Get(op.ExtensionData, "x-sdapi-kind"));
                if (kind is null || !OperationKinds.Contains(kind))
                {
                    Report(DiagnosticDescriptors.BadOperationKind.Id, $"Operation '{op.OperationId}' needs x-sdapi-kind generate, fetch or model-reload (found '{kind}')", kind is null ? pointer : pointer + "/x-sdapi-kind");
                    continue;
                }
                var bodySchema = op.RequestBody?.Content?.TryGetValue("application/json", out var media) == true ? media.Schema : null;
                var requestModel = SchemaName(bodySchema);
                if (requestModel is null)
                {
                    Report(DiagnosticDescriptors.BadRequestBody.Id, $"Operation '{op.OperationId}' needs an application/json request body that is a $ref to components/schemas", pointer + "/requestBody");
                    continue;
                }
                string? responseModel = null;
                if (op.Responses.TryGetValue("200", out var ok))
                {
                    var okSchema = ok.Content?.TryGetValue("application/json", out var okMedia) == true ? okMedia.Schema : null;
                    responseModel = SchemaName(okSchema);
                }
                if (responseModel is null)
                {
                    Report(DiagnosticDescriptors.BadResponse.Id, $"Operation '{op.OperationId}' needs a 200 application/json response that is a $ref to components/schemas", pointer + "/responses");
                    continue;
                }
                requestModels.Add(requestModel);
                var parameters = PathParameterPattern.Matches(pathEntry.Key).Cast<Match>().Select(m => m.Groups[1].Value).ToEquatableArray();
                result.Add(new OperationSpec(op.OperationId!, pathEntry.Key, tag!, match.Groups[2].Value, kind, op.Summary, requestModel, responseModel, parameters));
            }
        }
        return result;
    }

    private List<OutcomeSpec> ReadOutcomes(OpenApiDocument document)
    {
        var result = new List<OutcomeSpec>();
        foreach (var entry in document.Components.Schemas)
        {
            if (!ExtensionValue.AsBool(ExtensionValue.Get(entry.Value.ExtensionData, "x-sdapi-outcome"))) continue;
            var pointer = YamlLocator.Pointer("components", "schemas", entry.Key);
            var discriminator = entry.Value.DiscriminatorObject;
            // NJsonSchema 11 declares PropertyName nullable; netstandard2.0's string.IsNullOrEmpty does not narrow it.
            if (discriminator?.PropertyName is not { Length: > 0 } propertyName || discriminator.Mapping.Count == 0)
            {
                Report(DiagnosticDescriptors.BadOutcome.Id, $"Outcome '{entry.Key}' needs a discriminator with propertyName and mapping", pointer);
                continue;
            }
            var cases = new List<OutcomeCaseSpec>();
            foreach (var map in discriminator.Mapping)
            {
                var model = SchemaName(map.Value);
                if (model is null)
                {
                    Report(DiagnosticDescriptors.BadOutcome.Id, $"Outcome '{entry.Key}' maps '{map.Key}' to a schema that is not in components/schemas", pointer + "/discriminator/mapping/" + YamlLocator.Escape(map.Key));
                    continue;
                }
                cases.Add(new OutcomeCaseSpec(map.Key, model));
            }
            result.Add(new OutcomeSpec(entry.Key, propertyName, cases.ToEquatableArray()));
        }
        return result;
    }

    /// <summary>The primary union is the one operations answer (else the largest); every other union must be a subset.</summary>
    private (OutcomeSpec? Primary, List<OutcomeSpec> Subsets) SplitOutcomes(List<OutcomeSpec> outcomes, List<OperationSpec> operations)
    {
        if (outcomes.Count == 0) return (null, new List<OutcomeSpec>());
        var primary = outcomes.FirstOrDefault(o => operations.Any(op => op.ResponseModel == o.Name))
            ?? outcomes.OrderByDescending(o => o.Cases.Count).First();
        var subsets = new List<OutcomeSpec>();
        foreach (var other in outcomes.Where(o => o != primary))
        {
            var missing = other.Cases.FirstOrDefault(c => !primary.Cases.Contains(c));
            if (missing is not null)
            {
                Report(DiagnosticDescriptors.BadOutcome.Id, $"Outcome '{other.Name}' maps '{missing.Value}' to {missing.Model}, which is not a case of the primary outcome '{primary.Name}' (a model can derive from one union only)", YamlLocator.Pointer("components", "schemas", other.Name, "discriminator", "mapping", missing.Value));
                continue;
            }
            subsets.Add(other);
        }
        return (primary, subsets);
    }

    private string? ReadWebhookModel(OpenApiDocument document)
    {
        foreach (var path in document.Paths.Values)
            foreach (var op in path.Values)
                if (op.Callbacks is not null && op.Callbacks.TryGetValue("webhook", out var callback))
                    foreach (var item in callback.Values)
                        foreach (var cbOp in item.Values)
                        {
                            var schema = cbOp.RequestBody?.Content?.TryGetValue("application/json", out var media) == true ? media.Schema : null;
                            var name = SchemaName(schema);
                            if (name is not null) return name;
                        }
        return null;
    }

    private ModelSpec? ReadModel(string name, JsonSchema schema, bool isRequest, OutcomeSpec? outcome)
    {
        var pointer = YamlLocator.Pointer("components", "schemas", name);
        if (schema.OneOf.Count > 0 || schema.AnyOf.Count > 0)
        {
            Report(DiagnosticDescriptors.UnsupportedSchema.Id, $"Schema '{name}' is a oneOf/anyOf; only the x-sdapi-outcome union is supported", pointer);
            return null;
        }
        if (schema.Type != JsonObjectType.None && !schema.Type.HasFlag(JsonObjectType.Object))
        {
            // Plain component schemas that are not objects (e.g. a shared enum) are inlined where used.
            return null;
        }

        var properties = new List<(string Json, JsonSchemaProperty Prop, string Pointer)>();
        foreach (var part in schema.AllOf)
        {
            var actual = part.ActualSchema;
            var partName = SchemaName(part);
            var partPointer = partName is not null ? YamlLocator.Pointer("components", "schemas", partName) : pointer + "/allOf";
            foreach (var p in actual.Properties)
                properties.Add((p.Key, p.Value, partPointer + "/properties/" + YamlLocator.Escape(p.Key)));
        }
        foreach (var p in schema.Properties)
            properties.Add((p.Key, p.Value, pointer + "/properties/" + YamlLocator.Escape(p.Key)));

        var specs = new List<PropertySpec>();
        var usedNames = new HashSet<string>(StringComparer.Ordinal) { name };
        var ruleValues = OneOfValues(schema);
        foreach (var (json, prop, propPointer) in properties)
        {
            if (specs.Any(s => s.JsonName == json)) specs.RemoveAll(s => s.JsonName == json);
            var spec = ReadProperty(name, json, prop, propPointer, isRequest, ruleValues.TryGetValue(json, out var known) ? known : null);
            if (spec is null) continue;
            var csName = spec.CSharpName;
            for (var i = 2; usedNames.Contains(csName); i++) csName = spec.CSharpName + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            usedNames.Add(csName);
            specs.Add(spec with { CSharpName = csName });
        }

        var rules = ReadRules(name, schema, specs, pointer);
        var outcomeCase = outcome?.Cases.FirstOrDefault(c => c.Model == name);
        return new ModelSpec(name, schema.Description, specs.ToEquatableArray(), rules.ToEquatableArray(), isRequest,
            outcomeCase is null ? null : outcome!.Name, outcomeCase?.Value);
    }

    /// <summary>Field -> the values of its first error-severity <c>one-of</c> rule, else of its first one-of rule: the
    /// known values of an <c>enum</c> field whose wire schema has no <c>enum</c> (an open list such as enhance_style,
    /// whose rule only warns).</summary>
    private static Dictionary<string, List<string>> OneOfValues(JsonSchema schema)
    {
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var list = ExtensionValue.AsList(ExtensionValue.Get(schema.ExtensionData, "x-sdapi-rules"));
        if (list is null) return result;
        foreach (var item in list)
        {
            if (ExtensionValue.AsMap(item) is not { } map) continue;
            if (!map.TryGetValue("check", out var check) || ExtensionValue.AsString(check) != "one-of") continue;
            if (!map.TryGetValue("field", out var field) || ExtensionValue.AsString(field) is not { } name) continue;
            if (!map.TryGetValue("values", out var values)) continue;
            var isError = !map.TryGetValue("severity", out var severity) || ExtensionValue.AsString(severity) == RuleSpec.Error;
            if (!result.ContainsKey(name) || isError) result[name] = ExtensionValue.AsStrings(values);
        }
        return result;
    }

    private PropertySpec? ReadProperty(string model, string json, JsonSchemaProperty prop, string pointer, bool isRequest, List<string>? ruleValues = null)
    {
        var kindText = ExtensionValue.AsString(ExtensionValue.Get(prop.ExtensionData, "x-sdapi-kind"));
        var refName = SchemaName(prop.HasReference ? prop.Reference : null) ?? (prop.AllOf.Count == 1 ? SchemaName(prop.AllOf.First()) : null);
        PropertyKind kind;
        if (kindText is not null)
        {
            if (!Kinds.TryGetValue(kindText, out kind))
            {
                Report(DiagnosticDescriptors.UnknownKind.Id, $"Property '{json}' of '{model}' has unknown x-sdapi-kind '{kindText}'", pointer + "/x-sdapi-kind");
                return null;
            }
        }
        else if (refName is not null) kind = PropertyKind.Object;
        else if (prop.Type.HasFlag(JsonObjectType.Array)) kind = PropertyKind.Array;
        else if (prop.Type.HasFlag(JsonObjectType.String)) kind = prop.Enumeration.Count > 0 && isRequest ? PropertyKind.Enum : PropertyKind.String;
        else if (prop.Type.HasFlag(JsonObjectType.Integer)) kind = PropertyKind.Integer;
        else if (prop.Type.HasFlag(JsonObjectType.Number)) kind = PropertyKind.Number;
        else if (prop.Type.HasFlag(JsonObjectType.Boolean)) kind = PropertyKind.Boolean;
        else if (prop.Type.HasFlag(JsonObjectType.Object)) kind = PropertyKind.Any;
        else
        {
            Report(DiagnosticDescriptors.UnknownKind.Id, $"Property '{json}' of '{model}' has no x-sdapi-kind and no type the generator can infer", pointer);
            return null;
        }

        var itemKind = PropertyKind.Any;
        string? typeRef = null;
        if (kind == PropertyKind.Object)
        {
            typeRef = refName;
            if (typeRef is null) kind = PropertyKind.Any; // free-form object: kept as JsonElement
        }
        else if (kind == PropertyKind.Array)
        {
            var item = prop.Item;
            var itemRef = SchemaName(item);
            if (itemRef is not null) { itemKind = PropertyKind.Object; typeRef = itemRef; }
            else if (item is not null && item.ActualSchema.Type.HasFlag(JsonObjectType.String)) itemKind = PropertyKind.String;
            else if (item is not null && (item.ActualSchema.Type.HasFlag(JsonObjectType.Number) || item.ActualSchema.Type.HasFlag(JsonObjectType.Integer))) itemKind = PropertyKind.Number;
            else itemKind = PropertyKind.Any;
        }
        else if (kind == PropertyKind.Enum)
        {
            var values = prop.Enumeration.Select(v => v?.ToString()).Where(v => v is not null).Cast<string>().ToList();
            if (values.Count == 0)
                values = prop.OneOf.SelectMany(o => o.ActualSchema.Enumeration).Select(v => v?.ToString()).Where(v => v is not null).Cast<string>().ToList();
            if (values.Count == 0 && ruleValues is not null)
                values = ruleValues;
            if (values.Count == 0 && isRequest)
            {
                Report(DiagnosticDescriptors.UnknownKind.Id, $"Property '{json}' of '{model}' is x-sdapi-kind enum but lists no enum values", pointer);
                return null;
            }
            // A response echo (meta) without documented values stays a plain string.
            if (values.Count == 0) kind = PropertyKind.String;
            else typeRef = EnumFor(model, json, values);
        }

        var aliases = ExtensionValue.AsStrings(ExtensionValue.Get(prop.ExtensionData, "x-sdapi-alias"));
        var writeAlias = ExtensionValue.AsBool(ExtensionValue.Get(prop.ExtensionData, "x-sdapi-write-alias"));
        var secret = ExtensionValue.AsBool(ExtensionValue.Get(prop.ExtensionData, "x-sdapi-secret"))
            || prop.Format == "password" || (isRequest && json == "key");
        var isInt64 = prop.Format == "int64" || prop.OneOf.Any(o => o.Format == "int64");
        return new PropertySpec(json, Naming.Property(kind == PropertyKind.Message ? "message" : json), kind, isInt64, typeRef, itemKind,
            aliases.ToEquatableArray(), writeAlias && aliases.Count > 0, prop.Description, secret, DefaultText(prop.Default));
    }

    /// <summary>A schema <c>default</c> as invariant text (YAML 'yes' stays "yes"; numbers keep their digits).</summary>
    private static string? DefaultText(object? value) => value switch
    {
        null => null,
        string s => s,
        bool b => b ? "true" : "false",
        System.IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    /// <summary>One enum type per distinct (property name, values); the model name is prefixed only on a clash.</summary>
    private string EnumFor(string model, string json, List<string> values)
    {
        var name = Naming.Pascal(json);
        var spec = new EnumSpec(name, values.ToEquatableArray());
        if (_enums.TryGetValue(name, out var existing))
        {
            if (existing.Equals(spec)) return name;
            name = model + name;
            spec = spec with { Name = name };
            if (_enums.TryGetValue(name, out existing) && existing.Equals(spec)) return name;
        }
        _enums[name] = spec;
        return name;
    }

    private List<RuleSpec> ReadRules(string model, JsonSchema schema, List<PropertySpec> properties, string pointer)
    {
        var rules = new List<RuleSpec>();
        var list = ExtensionValue.AsList(ExtensionValue.Get(schema.ExtensionData, "x-sdapi-rules"));
        if (list is null) return rules;
        for (var i = 0; i < list.Count; i++)
        {
            var rulePointer = pointer + "/x-sdapi-rules/" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var map = ExtensionValue.AsMap(list[i]);
            if (map is null)
            {
                Report(DiagnosticDescriptors.BadRule.Id, $"x-sdapi-rules item {i} of '{model}' is not a mapping", rulePointer);
                continue;
            }
            string? S(string key) => map.TryGetValue(key, out var v) ? ExtensionValue.AsString(v) : null;
            List<string> L(string key) => map.TryGetValue(key, out var v) ? ExtensionValue.AsStrings(v) : new List<string>();
            var id = S("id");
            var field = S("field");
            var check = S("check");
            var message = S("message");
            if (id is null || field is null || check is null || message is null)
            {
                Report(DiagnosticDescriptors.BadRule.Id, $"x-sdapi-rules item {i} of '{model}' needs id, field, check and message", rulePointer);
                continue;
            }
            if (!Checks.Contains(check))
            {
                Report(DiagnosticDescriptors.BadRule.Id, $"Rule '{id}' has unknown check '{check}'", rulePointer + "/check");
                continue;
            }
            var property = properties.FirstOrDefault(p => p.JsonName == field);
            if (property is null)
            {
                Report(DiagnosticDescriptors.RuleUnknownField.Id, $"Rule '{id}' names field '{field}', which '{model}' does not have", rulePointer + "/field");
                continue;
            }
            var severity = S("severity") ?? RuleSpec.Error;
            if (severity is not (RuleSpec.Error or RuleSpec.Warning))
            {
                Report(DiagnosticDescriptors.BadRule.Id, $"Rule '{id}' has severity '{severity}'; use error or warning", rulePointer + "/severity");
                continue;
            }
            var rule = new RuleSpec(id, field, check, S("min"), S("max"), S("value"), L("values").ToEquatableArray(), S("with"),
                (map.ContainsKey("schemes") ? L("schemes") : new List<string> { "http", "https" }).ToEquatableArray(), S("or-base64-when"), message,
                severity, S("effective"));
            var problem = CheckRuleParameters(rule, property, properties);
            if (problem is not null)
            {
                Report(DiagnosticDescriptors.BadRule.Id, $"Rule '{id}': {problem}", rulePointer);
                continue;
            }
            rules.Add(rule);
        }
        return rules;
    }

    private static string? CheckRuleParameters(RuleSpec rule, PropertySpec property, List<PropertySpec> properties)
    {
        static bool IsNumber(string? s) => s is not null && double.TryParse(s, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _);
        static bool IsNumeric(PropertyKind k) => k is PropertyKind.Integer or PropertyKind.Number;
        switch (rule.Check)
        {
            case "range":
                if (rule.Min is null && rule.Max is null) return "range needs min or max";
                if ((rule.Min is not null && !IsNumber(rule.Min)) || (rule.Max is not null && !IsNumber(rule.Max))) return "min and max must be numbers";
                if (!IsNumeric(property.Kind) && property.Kind != PropertyKind.NumberList) return $"range applies to integer or number fields, '{property.JsonName}' is {property.Kind}";
                return null;
            case "multiple-of":
                if (!IsNumber(rule.Value)) return "multiple-of needs a numeric value";
                return IsNumeric(property.Kind) ? null : $"multiple-of applies to integer or number fields, '{property.JsonName}' is {property.Kind}";
            case "max-length":
            case "list-max-count":
                return IsNumber(rule.Value) ? null : $"{rule.Check} needs a numeric value";
            case "one-of":
                return rule.Values.Count > 0 ? null : "one-of needs values";
            case "list-items-range":
                if (rule.Min is null && rule.Max is null) return "list-items-range needs min or max";
                return property.Kind is PropertyKind.IdList or PropertyKind.NumberList ? null : "list-items-range applies to id-list or number-list fields";
            case "same-value":
                if (rule.With is null || rule.Effective is null) return "same-value needs with and effective";
                var alias = properties.FirstOrDefault(p => p.JsonName == rule.With);
                if (alias is null) return $"same-value names unknown field '{rule.With}'";
                if (alias.Kind != property.Kind || alias.IsInt64 != property.IsInt64) return $"same-value needs two fields of one kind, '{property.JsonName}' is {property.Kind} and '{alias.JsonName}' is {alias.Kind}";
                return IsNumeric(property.Kind) || property.Kind == PropertyKind.String ? null : "same-value applies to integer, number or string fields";
            case "list-pairs":
            case "list-count-match":
                if (rule.With is null) return $"{rule.Check} needs with";
                if (!properties.Any(p => p.JsonName == rule.With)) return $"{rule.Check} names unknown field '{rule.With}'";
                return property.Kind is PropertyKind.IdList or PropertyKind.NumberList ? null : $"{rule.Check} applies to id-list or number-list fields";
            case "url":
                if (rule.OrBase64When is not null && !properties.Any(p => p.JsonName == rule.OrBase64When)) return $"or-base64-when names unknown field '{rule.OrBase64When}'";
                return null;
            default:
                return null;
        }
    }
}
