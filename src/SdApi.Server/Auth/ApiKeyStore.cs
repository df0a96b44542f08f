using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using SdApi.Server.Configuration;
using SdApi.Server.Storage;

namespace SdApi.Server.Auth;

/// <summary>The accepted API keys: <c>SdApi:Keys</c>, or one the server creates on first start and keeps in
/// <c>&lt;DataDir&gt;/api-key.txt</c>. Keys are compared in constant time and never logged.</summary>
public sealed class ApiKeyStore
{
    public const string GeneratedKeyFile = "api-key.txt";

    private readonly byte[][] _keys;

    public ApiKeyStore(IOptions<ServerOptions> options, DataFolder data, ILogger<ApiKeyStore> logger)
    {
        var configured = options.Value.Keys.Where(k => !string.IsNullOrWhiteSpace(k)).ToList();
        if (configured.Count == 0)
            configured.Add(LoadOrCreate(data, logger));
        _keys = [.. configured.Select(Encoding.UTF8.GetBytes)];
    }

    /// <summary>True when <paramref name="key"/> is one of the accepted keys. Every key is compared, in constant time.</summary>
    public bool IsValid(string? key)
    {
        if (string.IsNullOrEmpty(key))
            return false;
        var candidate = Encoding.UTF8.GetBytes(key);
        var match = false;
        foreach (var accepted in _keys)
            match |= CryptographicOperations.FixedTimeEquals(candidate, accepted);
        return match;
    }

    /// <summary>A stable, non-reversible tag for a key (per-key queue limits, job ownership). Cached per accepted key
    /// (callers pass only keys that passed <see cref="IsValid"/>, so the cache stays as small as the key list).</summary>
    public static string Tag(string key) => Tags.GetOrAdd(key, k => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(k)), 0, 12));

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Tags = new(StringComparer.Ordinal);

    private static string LoadOrCreate(DataFolder data, ILogger logger)
    {
        var path = Path.Combine(data.Root, GeneratedKeyFile);
        if (File.Exists(path))
        {
            var existing = File.ReadAllText(path).Trim();
            if (existing.Length > 0)
                return existing;
        }
        var key = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        File.WriteAllText(path, key + "\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        // Printed once, on the console only (not through the logger, so it never lands in log sinks).
        Console.WriteLine($"SdApi: no SdApi:Keys configured; created an API key and stored it in {path}:");
        Console.WriteLine($"    {key}");
        logger.LogInformation("Created an API key in {Path} (printed once on the console).", path);
        return key;
    }
}
