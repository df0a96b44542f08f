using Microsoft.Extensions.Options;
using SdApi.Server.Configuration;

namespace SdApi.Server.Endpoints;

/// <summary>The base URL output links are written under: <c>SdApi:PublicBaseUrl</c>, else the request's own.</summary>
public sealed class BaseUrl(IOptions<ServerOptions> options)
{
    private readonly string? _configured = options.Value.PublicBaseUrl?.TrimEnd('/');

    public string For(HttpRequest request) =>
        string.IsNullOrEmpty(_configured) ? $"{request.Scheme}://{request.Host}{request.PathBase}" : _configured;
}
