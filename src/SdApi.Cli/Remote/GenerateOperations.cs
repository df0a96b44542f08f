using SdApi.Bindings;
using SdApi.Bindings.Http;

namespace SdApi.Cli.Remote;

/// <summary>The generated client's typed calls for each generate operation: read the body with the generated
/// reader, send it, and poll the same API version's fetch/{id} with WaitForCompletionAsync.</summary>
internal sealed record GenerateOperation(
    Func<SdApiClient, ReadOnlyMemory<byte>, CancellationToken, Task<Response<Outcome>>> SendAsync,
    Func<SdApiClient, Response<Outcome>, CancellationToken, Task<Response<Outcome>>> WaitAsync)
{
    public static GenerateOperation? Find(string operationId) => operationId switch
    {
        "v4Text2Img" => V4((c, b, ct) => c.V4.Text2ImgAsync(V4Text2ImgRequest.FromJson(b.Span), ct)),
        "v4Img2Img" => V4((c, b, ct) => c.V4.Img2ImgAsync(V4Img2ImgRequest.FromJson(b.Span), ct)),
        "v4Inpaint" => V4((c, b, ct) => c.V4.InpaintAsync(V4InpaintRequest.FromJson(b.Span), ct)),
        "v6Text2Img" => V6((c, b, ct) => c.V6.Text2ImgAsync(V6Text2ImgRequest.FromJson(b.Span), ct)),
        "v6Img2Img" => V6((c, b, ct) => c.V6.Img2ImgAsync(V6Img2ImgRequest.FromJson(b.Span), ct)),
        "v6Inpaint" => V6((c, b, ct) => c.V6.InpaintAsync(V6InpaintRequest.FromJson(b.Span), ct)),
        _ => null,
    };

    private static GenerateOperation V4(Func<SdApiClient, ReadOnlyMemory<byte>, CancellationToken, Task<Response<Outcome>>> send) =>
        new(send, (c, started, ct) => c.V4.WaitForCompletionAsync(started, ct));

    private static GenerateOperation V6(Func<SdApiClient, ReadOnlyMemory<byte>, CancellationToken, Task<Response<Outcome>>> send) =>
        new(send, (c, started, ct) => c.V6.WaitForCompletionAsync(started, ct));
}
