using System.Globalization;
using System.Text;
using SdApi.Bindings;

namespace SdApi.Testing;

/// <summary>Every request the mock received, in order, readable as the generated request models; with waits for a
/// number of requests (no sleeping in tests) and a <see cref="Verify{TRequest}"/> that says what arrived instead.</summary>
public sealed class SdApiMockJournal
{
    private readonly List<SdApiReceivedRequest> _requests = [];
    private readonly List<(int Count, TaskCompletionSource Signal)> _waiters = [];

    /// <summary>Every request so far, in arrival order.</summary>
    public IReadOnlyList<SdApiReceivedRequest> All
    {
        get { lock (_requests) return [.. _requests]; }
    }

    public int Count
    {
        get { lock (_requests) return _requests.Count; }
    }

    /// <summary>The requests to one operation (operationId as in openapi.yaml, e.g. <c>v6Text2Img</c>).</summary>
    public IReadOnlyList<SdApiReceivedRequest> For(string operationId) =>
        [.. All.Where(r => string.Equals(r.OperationId, operationId, StringComparison.OrdinalIgnoreCase))];

    /// <summary>The requests whose body reads as <typeparamref name="TRequest"/> and meets <paramref name="where"/>;
    /// <paramref name="operationId"/> narrows models several operations share (fetch).</summary>
    public IReadOnlyList<SdApiReceived<TRequest>> Of<TRequest>(Func<TRequest, bool>? where = null, string? operationId = null)
        where TRequest : class =>
        [.. All.Where(r => operationId is null || string.Equals(r.OperationId, operationId, StringComparison.OrdinalIgnoreCase))
            .Where(r => r.Request is TRequest typed && (where is null || where(typed)))
            .Select(r => new SdApiReceived<TRequest>((TRequest)r.Request!, r))];

    /// <summary>Throws <see cref="SdApiMockAssertionException"/> listing what arrived unless exactly
    /// <paramref name="times"/> requests read as <typeparamref name="TRequest"/> meet <paramref name="where"/>.</summary>
    public void Verify<TRequest>(Func<TRequest, bool> where, int times, string? description = null)
        where TRequest : class
    {
        var found = Of(where).Count;
        if (found == times) return;
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture,
            $"Expected {times} {typeof(TRequest).Name} request(s){(description is null ? "" : " " + description)}, found {found}. Received:");
        foreach (var request in All) text.Append('\n').Append(request);
        throw new SdApiMockAssertionException(text.ToString());
    }

    /// <summary>Completes when at least <paramref name="count"/> requests have arrived (in total since the last reset).</summary>
    public Task WaitForCountAsync(int count, CancellationToken cancellationToken = default)
    {
        TaskCompletionSource signal;
        lock (_requests)
        {
            if (_requests.Count >= count) return Task.CompletedTask;
            signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, signal));
        }
        return signal.Task.WaitAsync(cancellationToken);
    }

    internal SdApiReceivedRequest Add(DateTimeOffset at, string method, string path, string body)
    {
        SdApiReceivedRequest entry;
        List<TaskCompletionSource> ready = [];
        lock (_requests)
        {
            entry = new SdApiReceivedRequest(_requests.Count, at, method, path, body, SdApiOperations.FindByPath(path));
            _requests.Add(entry);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Count > _requests.Count) continue;
                ready.Add(_waiters[i].Signal);
                _waiters.RemoveAt(i);
            }
        }
        foreach (var signal in ready) signal.TrySetResult();
        return entry;
    }

    internal void Clear()
    {
        lock (_requests) _requests.Clear();
    }
}

/// <summary>A <see cref="SdApiMockJournal.Verify{TRequest}"/> that did not hold (framework-neutral, so any test runner reports it).</summary>
public sealed class SdApiMockAssertionException : Exception
{
    public SdApiMockAssertionException()
    {
    }

    public SdApiMockAssertionException(string message) : base(message)
    {
    }

    public SdApiMockAssertionException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
