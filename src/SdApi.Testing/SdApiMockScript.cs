using SdApi.Bindings;
using SdApi.Bindings.Json;

namespace SdApi.Testing;

/// <summary>
/// Scripted answers for the requests one selector picks (an operation, or a typed request with a condition). Each
/// request the validator accepts takes the next queued answer; when the queue is used up, the <see cref="Always"/>
/// answer (if any) repeats, otherwise the mock's usual behaviour returns.
/// <code>mock.On&lt;V6Text2ImgRequest&gt;(r =&gt; r.LoraModel?.Contains("x") == true).RespondWith(SdApiAnswer.RateLimited(2)).Then(SdApiAnswer.Success());</code>
/// </summary>
public sealed class SdApiMockScript
{
    private readonly Func<SdApiOperation, IJsonWritable, bool> _selects;
    private readonly Queue<SdApiAnswer> _queue = new();
    private SdApiAnswer? _always;

    internal SdApiMockScript(string description, Func<SdApiOperation, IJsonWritable, bool> selects)
    {
        Description = description;
        _selects = selects;
    }

    /// <summary>What the script selects, for messages.</summary>
    public string Description { get; }

    /// <summary>Answers the next selected request with <paramref name="answer"/> (once).</summary>
    public SdApiMockScript RespondWith(SdApiAnswer answer) => Then(answer);

    /// <summary>Queues <paramref name="answer"/> after the ones before (once).</summary>
    public SdApiMockScript Then(SdApiAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        lock (_queue) _queue.Enqueue(answer);
        return this;
    }

    /// <summary>Queues <paramref name="answer"/> <paramref name="times"/> times.</summary>
    public SdApiMockScript Then(SdApiAnswer answer, int times)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(times);
        for (var i = 0; i < times; i++) Then(answer);
        return this;
    }

    /// <summary>Answers every selected request after the queued ones with <paramref name="answer"/>.</summary>
    public SdApiMockScript Always(SdApiAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        lock (_queue) _always = answer;
        return this;
    }

    /// <summary>Answers still queued.</summary>
    public int Pending
    {
        get { lock (_queue) return _queue.Count; }
    }

    internal bool TryTake(SdApiOperation operation, IJsonWritable request, out SdApiAnswer answer)
    {
        answer = null!;
        if (!_selects(operation, request)) return false;
        lock (_queue)
        {
            if (_queue.TryDequeue(out var next)) answer = next;
            else if (_always is not null) answer = _always;
            else return false;
        }
        return true;
    }

    public override string ToString() => Description;
}
