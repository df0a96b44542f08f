namespace SdApi.Bindings.Server;

/// <summary>Settings of the generated server stubs (register one in DI to change them).</summary>
public sealed class SdApiServerOptions
{
    public static SdApiServerOptions Default { get; } = new();

    /// <summary>Bodies above this are refused with 413 (default 16 MiB: base64 init images are large).</summary>
    public long MaxBodyBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Run the spec's rules before the handler (default on); invalid requests get 400 in the API's shape.</summary>
    public bool ValidateRequests { get; set; } = true;
}
