using System.Text;
using SdApi.Server.Storage;

namespace SdApi.Server.Outputs;

/// <summary>Generated images under <c>&lt;DataDir&gt;/outputs/</c>: <c>{id}-{n}.png</c>, or <c>{id}-{n}.base64</c>
/// whose content is the base64 text of the PNG (what the API serves when a request says base64: yes).</summary>
public sealed class OutputStore(DataFolder data)
{
    public async Task WriteAsync(string fileName, byte[] png, CancellationToken ct)
    {
        var path = PathOf(fileName);
        var temp = path + ".tmp";
        if (fileName.EndsWith(".base64", StringComparison.Ordinal))
            await File.WriteAllTextAsync(temp, Convert.ToBase64String(png), Encoding.ASCII, ct);
        else
            await File.WriteAllBytesAsync(temp, png, ct);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>The file's path, or null when the name is not a plain output name or the file is absent.</summary>
    public string? Find(string fileName) =>
        IsPlainName(fileName) && File.Exists(PathOf(fileName)) ? PathOf(fileName) : null;

    /// <summary>The job id an output name belongs to (<c>12-0.png</c> -> 12).</summary>
    public static long? JobIdOf(string fileName)
    {
        var dash = fileName.IndexOf('-', StringComparison.Ordinal);
        return dash > 0 && long.TryParse(fileName.AsSpan(0, dash), out var id) ? id : null;
    }

    private string PathOf(string fileName) => Path.Combine(data.Outputs, fileName);

    private static bool IsPlainName(string name) =>
        name.Length is > 0 and < 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.') && !name.StartsWith('.');
}
