using System.Text.Json;

namespace SdApi.Server.Endpoints;

/// <summary>Placeholder until the generated validators are wired: accepts every body.</summary>
public sealed class NoRulesValidator : IRequestValidator
{
    public IReadOnlyDictionary<string, List<string>>? Validate(string operationId, JsonElement body) => null;
}
