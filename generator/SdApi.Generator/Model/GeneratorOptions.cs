namespace SdApi.Generator.Model;

/// <summary>MSBuild options (CompilerVisibleProperty): which parts to emit and into which namespace.</summary>
internal sealed record GeneratorOptions(
    string Namespace,
    string ModelsNamespace,
    bool Models,
    bool Json,
    bool Validators,
    bool Client,
    bool Server)
{
    public static GeneratorOptions Default { get; } = Parse(null, null, null);

    public static GeneratorOptions Parse(string? emit, string? ns, string? modelsNs)
    {
        var parts = string.IsNullOrWhiteSpace(emit) ? "Models,Json,Validators,Client" : emit!;
        bool Has(string part)
        {
            foreach (var raw in parts.Split(',', ';'))
            {
                var p = raw.Trim();
                if (string.Equals(p, part, System.StringComparison.OrdinalIgnoreCase)) return true;
                if (part != "Server" && string.Equals(p, "All", System.StringComparison.OrdinalIgnoreCase)) return true;
            }
            return false;
        }
        var namespaceName = string.IsNullOrWhiteSpace(ns) ? "SdApi.Bindings" : ns!.Trim();
        var models = string.IsNullOrWhiteSpace(modelsNs) ? namespaceName : modelsNs!.Trim();
        return new GeneratorOptions(namespaceName, models, Has("Models"), Has("Json"), Has("Validators"), Has("Client"), Has("Server"));
    }
}

/// <summary>One model with what its emitters need besides it: the unit of the per-model pipeline steps.</summary>
internal sealed record ModelUnit(ModelSpec Model, EquatableArray<string> UsedBy, GeneratorOptions Options);
