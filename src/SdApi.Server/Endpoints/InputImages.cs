using Microsoft.Extensions.Options;
using SdApi.Server.Configuration;
using SdApi.Server.Errors;
using SdApi.Server.Generated;
using SdApi.Server.Net;

namespace SdApi.Server.Endpoints;

/// <summary>Turns <c>init_image</c> / <c>mask_image</c> into bytes when a job is accepted: base64 text when the request
/// says <c>base64: yes</c> (size-limited), otherwise an http(s) URL fetched through <see cref="GuardedHttp"/>.</summary>
public sealed class InputImages(GuardedHttp http, IOptions<ServerOptions> options)
{
    /// <summary>Wire names of the image fields: the keys of a job's stored inputs and the field named in errors.</summary>
    public const string InitImage = "init_image";
    public const string MaskImage = "mask_image";

    private readonly int _maxBase64Bytes = options.Value.Limits.MaxBase64ImageBytes;

    public async Task<(Dictionary<string, byte[]> Inputs, ApiReply? Error)> LoadAsync(GenerateCall call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        var inputs = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var base64 = call.Base64 == true;
        foreach (var (field, value) in new[] { (InitImage, call.InitImage), (MaskImage, call.MaskImage) })
        {
            if (string.IsNullOrWhiteSpace(value))
                continue;
            var isUrl = value.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
                || value.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
            if (base64 && !isUrl)
            {
                var (bytes, error) = DecodeBase64(field, value);
                if (error is not null)
                    return (inputs, error);
                inputs[field] = bytes!;
                continue;
            }
            try
            {
                inputs[field] = await http.DownloadAsync(value, ct);
            }
            catch (UrlFetchException e)
            {
                return (inputs, ApiError.Message(StatusCodes.Status400BadRequest,
                    $"Unable to fetch image from provided URL ({field}: {e.Reason})."));
            }
        }
        return (inputs, null);
    }

    private (byte[]? Bytes, ApiReply? Error) DecodeBase64(string field, string value)
    {
        // data:image/png;base64,.... is accepted as well as the bare base64 text.
        var comma = value.StartsWith("data:", StringComparison.OrdinalIgnoreCase) ? value.IndexOf(',', StringComparison.Ordinal) : -1;
        var text = comma >= 0 ? value.AsSpan(comma + 1) : value.AsSpan(); // no copy of a 10 MB string
        if ((long)text.Length * 3 / 4 > _maxBase64Bytes)
            return (null, ApiError.Message(StatusCodes.Status413PayloadTooLarge,
                $"The {field} base64 image is too large: at most {_maxBase64Bytes} bytes."));
        // Sized exactly for the usual text (no whitespace inside), so the decoded bytes are not copied again.
        if (!System.Buffers.Text.Base64.IsValid(text, out var length) || length == 0)
            return (null, ApiError.Field(field, $"The {field.Replace('_', ' ')} must be a valid base64 image."));
        var buffer = new byte[length];
        return Convert.TryFromBase64Chars(text, buffer, out var written) && written == length
            ? (buffer, null)
            : (null, ApiError.Field(field, $"The {field.Replace('_', ' ')} must be a valid base64 image."));
    }
}
