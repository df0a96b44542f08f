namespace SdApi.Bindings.Outputs;

/// <summary>Helpers for <c>output</c> links. With <c>base64: "yes"</c> the API answers URLs ending in <c>.base64</c> whose
/// body is the base64 image; these decode them (and plain <c>data:</c> URIs) to bytes.</summary>
public static class ImageOutputs
{
    public static bool IsBase64Link(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var path = Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.AbsolutePath : url;
        return path.EndsWith(".base64", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Decodes base64 image text, bare or as a <c>data:image/...;base64,</c> URI; whitespace is ignored.</summary>
    public static byte[] DecodeBase64(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            var comma = trimmed.IndexOf(',', StringComparison.Ordinal);
            if (comma < 0) throw new FormatException("A data: URI without a comma.");
            trimmed = trimmed[(comma + 1)..];
        }
        return Convert.FromBase64String(trimmed);
    }

    /// <summary>Downloads an output link; <c>.base64</c> links (and data: URIs) are decoded to the image bytes.</summary>
    public static async Task<byte[]> DownloadAsync(HttpClient httpClient, string link, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(link);
        if (link.StartsWith("data:", StringComparison.OrdinalIgnoreCase)) return DecodeBase64(link);
        if (IsBase64Link(link))
            return DecodeBase64(await httpClient.GetStringAsync(new Uri(link), cancellationToken).ConfigureAwait(false));
        return await httpClient.GetByteArrayAsync(new Uri(link), cancellationToken).ConfigureAwait(false);
    }
}
