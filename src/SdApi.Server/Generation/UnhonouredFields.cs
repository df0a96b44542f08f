using SdApi.Server.Generated;

namespace SdApi.Server.Generation;

/// <summary>Fields the API documents and the validators accept but the reference engine cannot honour. Each is reported
/// in <c>meta.notes</c> (one sentence naming the field); the ones that change what the API would draw are refused with a
/// 400 naming the field when <c>SdApi:StrictModels</c> is on. The README's field table lists them.</summary>
public static class UnhonouredFields
{
    /// <summary>A field the engine ignored, and whether strict mode refuses it (it would change the picture).</summary>
    public sealed record Unhonoured(string Field, string Note, bool RefusedWhenStrict);

    public static IReadOnlyList<Unhonoured> Of(GenerateCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var list = new List<Unhonoured>();
        if (call.IpAdapterId is { } adapter && !string.IsNullOrEmpty(adapter.Value))
            list.Add(new("ip_adapter_id", "ip_adapter_id: the reference engine has no IP-Adapter; the image was drawn from the prompt alone.", true));
        if (!string.IsNullOrEmpty(call.IpAdapterImage))
            list.Add(new("ip_adapter_image", "ip_adapter_image: the reference engine has no IP-Adapter; the image was not used.", true));
        if (call.IpAdapterScale is not null)
            list.Add(new("ip_adapter_scale", "ip_adapter_scale: the reference engine has no IP-Adapter; the scale has no effect.", true));
        if (call.MultiLingual == true)
            list.Add(new("multi_lingual", "multi_lingual: the reference engine does not translate; the prompt was read as written (English).", true));
        if (call.SelfAttention == true)
            list.Add(new("self_attention", "self_attention: a quality hint; the reference engine has no self-attention guidance, so the image is the one self_attention: no gives.", false));
        if (call.Tomesd == true)
            list.Add(new("tomesd", "tomesd: a speed hint (token merging); the reference engine runs full attention, so the image is the one tomesd: no gives.", false));
        return list;
    }

    public static IReadOnlyList<string> Notes(GenerateCall call) => [.. Of(call).Select(u => u.Note)];
}
