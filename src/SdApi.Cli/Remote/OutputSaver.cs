using SdApi.Bindings.Outputs;

namespace SdApi.Cli.Remote;

/// <summary>Saves a success's <c>output</c> entries as files: links are downloaded (<c>.base64</c> links and
/// data: URIs decoded by the bindings' ImageOutputs), bare base64 text is decoded.</summary>
internal static class OutputSaver
{
    public static async Task<IReadOnlyList<string>> SaveAsync(HttpClient http, IReadOnlyList<string> outputs, string directory, string jobId,
        CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var saved = new List<string>();
        var prefix = string.IsNullOrWhiteSpace(jobId) ? "image" : string.Concat(jobId.Where(char.IsLetterOrDigit));
        for (var i = 0; i < outputs.Count; i++)
        {
            var output = outputs[i];
            var isLink = Uri.TryCreate(output, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "data";
            var bytes = isLink
                ? await ImageOutputs.DownloadAsync(http, output, cancellationToken).ConfigureAwait(false)
                : ImageOutputs.DecodeBase64(output);
            var path = Path.Combine(directory, $"{prefix}-{i + 1}{Extension(output, isLink, bytes)}");
            await File.WriteAllBytesAsync(path, bytes, cancellationToken).ConfigureAwait(false);
            saved.Add(path);
        }
        return saved;
    }

    /// <summary>The link's own extension when it names an image type, else one from the bytes' signature.</summary>
    private static string Extension(string output, bool isLink, byte[] bytes)
    {
        if (isLink && !output.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            var extension = Path.GetExtension(new Uri(output).AbsolutePath).ToLowerInvariant();
            if (extension is ".png" or ".jpg" or ".jpeg" or ".webp" or ".gif")
                return extension;
        }
        return bytes switch
        {
            [0x89, 0x50, 0x4E, 0x47, ..] => ".png",
            [0xFF, 0xD8, ..] => ".jpg",
            [0x52, 0x49, 0x46, 0x46, _, _, _, _, 0x57, 0x45, 0x42, 0x50, ..] => ".webp",
            _ => ".bin",
        };
    }
}
