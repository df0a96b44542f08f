using System.Text.Json;

namespace SdApi.Server.Endpoints;

/// <summary>Checks a request body against the spec's rules (<c>x-sdapi-rules</c>) for one operation; null when valid,
/// otherwise field -> messages in the API's validation shape.</summary>
public interface IRequestValidator
{
    IReadOnlyDictionary<string, List<string>>? Validate(string operationId, JsonElement body);
}
