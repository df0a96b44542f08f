using SdApi.Bindings;
using SdApi.Bindings.Http;

namespace SdApi.Cli.Remote;

/// <summary>The generated client's one-call long-running operation for each generate operation: read the body with the
/// generated reader and run <c>GenerateAsync</c>, which sends it and polls the same API version's fetch/{id},
/// reporting every answer to the progress display.</summary>
internal sealed record GenerateOperation(
    Func<SdApiClient, ReadOnlyMemory<byte>, IProgress<Outcome>, CancellationToken, Task<Response<Outcome>>> GenerateAsync)
{
    public static GenerateOperation? Find(string operationId) => operationId switch
    {
        "v4Text2Img" => new((c, b, p, ct) => c.V4.GenerateAsync(V4Text2ImgRequest.FromJson(b.Span), p, ct)),
        "v4Img2Img" => new((c, b, p, ct) => c.V4.GenerateAsync(V4Img2ImgRequest.FromJson(b.Span), p, ct)),
        "v4Inpaint" => new((c, b, p, ct) => c.V4.GenerateAsync(V4InpaintRequest.FromJson(b.Span), p, ct)),
        "v6Text2Img" => new((c, b, p, ct) => c.V6.GenerateAsync(V6Text2ImgRequest.FromJson(b.Span), p, ct)),
        "v6Img2Img" => new((c, b, p, ct) => c.V6.GenerateAsync(V6Img2ImgRequest.FromJson(b.Span), p, ct)),
        "v6Inpaint" => new((c, b, p, ct) => c.V6.GenerateAsync(V6InpaintRequest.FromJson(b.Span), p, ct)),
        _ => null,
    };
}

/// <summary>Hands every answer to the display at once, on the calling thread (<see cref="Progress{T}"/> would post it to
/// the thread pool, so the last status could print after the result).</summary>
internal sealed class OutcomeProgress(Action<Outcome> report) : IProgress<Outcome>
{
    public void Report(Outcome value) => report(value);
}
